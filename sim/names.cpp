// sim/names.cpp: the printed names of errno values, results and ops. These are the
// spellings of the litmus language (spec §2-§3) and of every trace.
#include <array>
#include <utility>

#include "sim/op.h"
#include "sim/overloaded.h"
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
  return std::visit(
      Overloaded{
          [](const Mmap&) { return std::string_view("mmap"); },
          [](const Munmap&) { return std::string_view("munmap"); },
          [](const Madvise&) { return std::string_view("madvise"); },
          [](const Mlock&) { return std::string_view("mlock"); },
          [](const Munlock&) { return std::string_view("munlock"); },
          [](const Mprotect&) { return std::string_view("mprotect"); },
          [](const Write&) { return std::string_view("write"); },
          [](const Read&) { return std::string_view("read"); },
          [](const Zero&) { return std::string_view("zero"); },
          [](const Fork&) { return std::string_view("fork"); },
          [](const Exec&) { return std::string_view("exec"); },
          [](const Exit&) { return std::string_view("exit"); },
          [](const Pin&) { return std::string_view("pin"); },
          [](const Vmsplice&) { return std::string_view("vmsplice"); },
          [](const DmaRead&) { return std::string_view("dma-read"); },
          [](const DmaWrite&) { return std::string_view("dma-write"); },
          [](const Unpin&) { return std::string_view("unpin"); },
          [](const PipeRead&) { return std::string_view("pipe-read"); },
          [](const PipeClose&) { return std::string_view("pipe-close"); },
          [](const Reclaim&) { return std::string_view("reclaim"); },
          [](const ReclaimPage&) { return std::string_view("reclaim"); },
          [](const Migrate&) { return std::string_view("migrate"); },
          [](const Kill&) { return std::string_view("kill"); },
          [](const Suspend&) { return std::string_view("suspend"); },
          [](const Hibernate&) { return std::string_view("hibernate"); },
          [](const Resume&) { return std::string_view("resume"); },
          [](const Snapshot&) { return std::string_view("snapshot"); },
          [](const ForkPage&) { return std::string_view("fork.page"); },
          [](const ZapPage&) { return std::string_view("zap.page"); },
          [](const Finish&) { return std::string_view("finish"); },
          [](const PowerPage&) { return std::string_view("power.page"); },
          [](const PowerDone&) { return std::string_view("power.done"); },
      },
      op);
}

}  // namespace mmsim
