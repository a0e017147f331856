// model/check/inputs.cpp: the walk over command-line paths. See inputs.h.
#include "model/check/inputs.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <set>
#include <utility>

namespace mmsim::model {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNotUtf8 =
    "the file name is not valid UTF-8 (rename it: traces, replay lines and JSON name the file)";
constexpr int kMaxFolderDepth = 64;  // folders inside folders; deeper ones are reported

const char* kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = 0;
    uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) { n = 1; cp = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { n = 2; cp = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { n = 3; cp = c & 0x07; }
    else return false;
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

std::string cause(int err) {
  if (err == ELOOP) return "symlink loop (too many levels of symbolic links)";
  return std::strerror(err);
}

class Walker {
 public:
  explicit Walker(Inputs& in) : in_(in) {}

  void argument(const std::string& p) {
    struct stat st {};
    if (::stat(p.c_str(), &st) != 0) return problem(p, cause(errno));
    if (!valid_utf8(p)) return problem(p, kNotUtf8);
    if (S_ISREG(st.st_mode)) {
      in_.files.push_back(p);
    } else if (S_ISDIR(st.st_mode)) {
      std::vector<std::string> found;
      folder(p, st, 0, found);
      std::sort(found.begin(), found.end());
      if (found.empty()) problem(p, "no .litmus files in this folder");
      in_.files.insert(in_.files.end(), found.begin(), found.end());
    } else {
      problem(p, std::string("not a regular file or a folder: it is ") + kind_of(st.st_mode));
    }
  }

 private:
  void problem(const std::string& p, const std::string& why) { in_.problems.push_back(p + ": " + why); }

  // Follows symlinks to folders, once per folder (device, inode), so a cycle ends.
  void folder(const std::string& dir, const struct stat& st, int depth, std::vector<std::string>& found) {
    if (!seen_.emplace(st.st_dev, st.st_ino).second) return;
    if (depth > kMaxFolderDepth) {
      return problem(dir, "folders nested too deep: at most " + std::to_string(kMaxFolderDepth) + " levels");
    }
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec) return problem(dir, "cannot read folder: " + ec.message());
    std::vector<std::string> entries;
    for (; it != fs::directory_iterator(); it.increment(ec)) entries.push_back(it->path().string());
    if (ec) problem(dir, "cannot read folder: " + ec.message());
    std::sort(entries.begin(), entries.end());
    for (const std::string& e : entries) entry(e, depth, found);
  }

  void entry(const std::string& e, int depth, std::vector<std::string>& found) {
    const bool litmus = fs::path(e).extension() == ".litmus";
    struct stat st {};
    if (::stat(e.c_str(), &st) != 0) {
      // A dangling link or a loop: reported when it could be a test or a folder of tests.
      struct stat lst {};
      const bool link = ::lstat(e.c_str(), &lst) == 0 && S_ISLNK(lst.st_mode);
      if (litmus || link) problem(e, cause(errno));
      return;
    }
    if (S_ISDIR(st.st_mode)) return folder(e, st, depth + 1, found);
    if (!litmus) return;
    if (S_ISREG(st.st_mode) && !valid_utf8(e)) {
      problem(e, kNotUtf8);
    } else if (S_ISREG(st.st_mode)) {
      found.push_back(e);
    } else {
      problem(e, std::string("not a regular file: it is ") + kind_of(st.st_mode));
    }
  }

  Inputs& in_;
  std::set<std::pair<dev_t, ino_t>> seen_;
};

}  // namespace

Inputs collect_inputs(const std::vector<std::string>& paths) {
  Inputs in;
  Walker w(in);
  for (const std::string& p : paths) w.argument(p);
  return in;
}

}  // namespace mmsim::model
