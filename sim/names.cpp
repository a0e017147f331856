// sim/names.cpp: the printed names of errno values, results and ops (kOpTable). These are the
// spellings of the litmus language (spec §2-§3) and of every trace.
#include <array>
#include <utility>

#include "sim/op.h"
#include "sim/op_table.h"
#include "sim/types.h"

namespace mmsim {
namespace {

constexpr std::array<std::pair<Errno, std::string_view>, 9> kErrnos{{
    {Errno::Inval, "EINVAL"}, {Errno::NoMem, "ENOMEM"}, {Errno::Fault, "EFAULT"},
    {Errno::Perm, "EPERM"},   {Errno::Again, "EAGAIN"}, {Errno::Busy, "EBUSY"},
    {Errno::NoEnt, "ENOENT"}, {Errno::NoSpc, "ENOSPC"}, {Errno::Srch, "ESRCH"},
}};

}  // namespace

std::string_view errno_name(Errno e) {
  for (const auto& [code, name] : kErrnos) {
    if (code == e) return name;
  }
  return "E?";
}

bool errno_from_name(std::string_view name, Errno* out) {
  for (const auto& [code, n] : kErrnos) {
    if (n == name) {
      *out = code;
      return true;
    }
  }
  return false;
}

std::string to_string(const Result& r) {
  switch (r.kind) {
    case Result::Kind::Unset: return "unset";
    case Result::Kind::Ok: return "ok";
    case Result::Kind::Number: return std::to_string(r.value);
    case Result::Kind::Err: return std::string(errno_name(r.err));
    case Result::Kind::Segv: return "SEGV";
  }
  return "?";
}

// advice_name: sim/advice.cpp (the policies declare their advices).

std::string_view op_name(const Op& op) {
  return op_info(op).keyword;
}

}  // namespace mmsim
