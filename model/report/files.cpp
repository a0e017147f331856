// model/report/files.cpp: atomic output files and folders. See files.h.
#include "model/report/files.h"

#include <fcntl.h>
#include <stdio.h>  // renameat2
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

namespace mmsim::model {
namespace {

namespace fs = std::filesystem;

std::string sys_error(const std::string& what) { return what + ": " + std::strerror(errno); }

bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) && !ec;
}

// True when `inner` is `outer` or lies under it (after resolving both as far as they exist).
bool inside(const fs::path& inner, const fs::path& outer) {
  std::error_code ec;
  const fs::path i = fs::weakly_canonical(inner, ec);
  if (ec) return false;
  const fs::path o = fs::weakly_canonical(outer, ec);
  if (ec) return false;
  auto [oi, ii] = std::mismatch(o.begin(), o.end(), i.begin(), i.end());
  return oi == o.end();
}

std::string write_fd(int fd, const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return std::strerror(errno);
    done += static_cast<size_t>(n);
  }
  return "";
}

std::string parent_of(const std::string& path) {
  const fs::path p = fs::path(path).parent_path();
  return p.empty() ? "." : p.string();
}

}  // namespace

std::string refuse_output_file(const std::string& out, const std::vector<std::string>& inputs) {
  if (fs::path(out).extension() == ".litmus") return "it is a .litmus file (an input, not an output)";
  for (const std::string& in : inputs) {
    if (same_file(out, in)) return "it is the input " + in;
  }
  std::error_code ec;
  if (fs::is_directory(out, ec)) return "it is a folder";
  return "";
}

std::string refuse_report_dir(const std::string& dir, const std::vector<std::string>& names,
                              const std::vector<std::string>& inputs) {
  for (const std::string& in : inputs) {
    if (inside(in, dir)) return "it is, or contains, the input " + in;
  }
  std::error_code ec;
  if (!fs::exists(dir, ec)) return "";
  if (!fs::is_directory(dir, ec)) return "it exists and is not a folder";
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      return "it holds '" + name + "', which is not part of an mmsim report";
    }
  }
  if (ec) return "cannot read it: " + ec.message();
  return "";
}

std::string write_file_atomic(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return sys_error("cannot create a file beside " + path);
  std::string error = write_fd(fd, text);
  if (::fchmod(fd, 0644) != 0 && error.empty()) error = std::strerror(errno);
  if (::close(fd) != 0 && error.empty()) error = std::strerror(errno);
  if (error.empty() && ::rename(tmp.c_str(), path.c_str()) != 0) error = std::strerror(errno);
  if (!error.empty()) {
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + error;
  }
  return "";
}

std::string replace_dir_atomic(const std::string& dir,
                               const std::vector<std::pair<std::string, std::string>>& files) {
  fs::path target = fs::path(dir).lexically_normal();
  if (target.filename().empty()) target = target.parent_path();  // "out/" -> "out"
  std::string tmp = (fs::path(parent_of(target.string())) / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
  std::error_code ec;
  fs::create_directories(parent_of(target.string()), ec);
  if (ec) return "cannot create the folder " + parent_of(target.string()) + ": " + ec.message();
  if (::mkdtemp(tmp.data()) == nullptr) return sys_error("cannot create a folder beside " + dir);
  if (::chmod(tmp.c_str(), 0755) != 0) {
    fs::remove_all(tmp, ec);
    return sys_error("cannot set the permissions of " + tmp);
  }
  for (const auto& [name, text] : files) {
    if (std::string e = write_file_atomic((fs::path(tmp) / name).string(), text); !e.empty()) {
      fs::remove_all(tmp, ec);
      return e;
    }
  }
  const bool exists = fs::exists(target, ec);
  const int r = exists ? ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE)
                       : ::rename(tmp.c_str(), target.c_str());
  if (r != 0) {
    const std::string e = sys_error("cannot put the report in place at " + dir);
    fs::remove_all(tmp, ec);
    return e;
  }
  if (exists) fs::remove_all(tmp, ec);  // the exchanged old report
  return "";
}

}  // namespace mmsim::model
