// sim/ops_access.cpp: user-space loads and stores (`read`, `write`, `zero`). A fault that
// cannot be handled kills the process (spec §2).
#include "sim/ops.h"

namespace mmsim::ops {

Result read(World& w, ProcId p, PageRange r) {
  Fault f = fault(w, p, r.begin, Access::Read);
  if (f.kind != Fault::Kind::Ok) return fault_failure(w, p, f);
  return Result::of(w.frame(f.frame).value);
}

Result write(World& w, ProcId p, PageRange r, Value v) {
  for (Vpn q = r.begin; q < r.end; q = q + 1) {
    Fault f = fault(w, p, q, Access::Write);
    if (f.kind != Fault::Kind::Ok) return fault_failure(w, p, f);
    set_value(w, f.frame, v);
  }
  return Result::ok();
}

}  // namespace mmsim::ops
