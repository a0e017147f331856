// sim/ops_access.cpp: user-space loads and stores (`read`, `write`, `zero`). A fault that
// cannot be handled kills the process (spec §2).
#include "sim/ops.h"

namespace mmsim::ops {

Result read(World& w, ProcId p, PageRange r) {
  Fault f = fault(w, p, r.begin, Access::Read);
  if (f.kind != Fault::Kind::Ok) return fault_failure(w, p, r.begin, f);
  return Result::of(page_value(w, f.frame));  // the zero page reads 0
}

Result write(World& w, ProcId p, PageRange r, Value v) {
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = fault(w, p, q, Access::Write);
    if (f.kind != Fault::Kind::Ok) return fault_failure(w, p, q, f);
    set_value(w, f.frame, v);
  }
  return Result::ok();
}

}  // namespace mmsim::ops
