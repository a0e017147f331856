// model/conform/cli_conform.cpp: the `mmsim conform` options, kept apart from the logic so the
// CLI can be re-wired without touching conform.cpp.
#include <string>

#include "model/conform/conform.h"

namespace mmsim::conform {

int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  Options o;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&](std::string* v) { if (i + 1 >= argc) return false; *v = argv[++i]; return true; };
    std::string v;
    if (a == "--json") o.json = true;
    else if (a == "--keep") o.keep = true;
    else if (a == "--quiet") o.quiet = true;
    else if (a == "--schedules") { if (!value(&o.schedules)) { err << "mmsim conform: --schedules needs N or 'all'\n"; return 2; } }
    else if (a == "--emit-c") { if (!value(&o.emit_c_dir)) { err << "mmsim conform: --emit-c needs a folder\n"; return 2; } }
    else if (a == "--expect") { if (!value(&o.expect_file)) { err << "mmsim conform: --expect needs a file\n"; return 2; } }
    else if (a == "--timeout") {
      if (!value(&v) || v.empty() || v.find_first_not_of("0123456789") != std::string::npos || v.size() > 7) {
        err << "mmsim conform: --timeout needs milliseconds\n";
        return 2;
      }
      o.timeout_ms = std::stoi(v);
    } else if (!a.empty() && a[0] == '-') { err << "mmsim conform: unknown option '" << a << "'\n"; return 2; }
    else o.paths.push_back(a);
  }
  if (o.paths.empty()) { err << "mmsim conform: expected at least one PATH (a .litmus file or a folder)\n"; return 2; }
  return run(o, out, err);
}

}  // namespace mmsim::conform
