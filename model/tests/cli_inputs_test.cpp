// model/tests/cli_inputs_test.cpp: every unusable PATH is reported with its real cause and the
// others still run (exit 2 at the end); silent no-ops are warnings or errors; options with a
// value never swallow a test file; nothing a user wrote is overwritten (issue 14, items 2-5).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "model/tests/model_test_util.h"

namespace mmsim::model::testing {
namespace {

namespace fs = std::filesystem;

std::string folder_of(const std::string& file) { return fs::path(file).parent_path().string(); }

TEST(Inputs, AMissingPathDoesNotStopTheFilesAfterIt) {
  const std::string good = write_temp("good.litmus", kGood);
  const CliRun r = cli({"run", "--policy", "mainline", "/nonexistent/a.litmus", good});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/nonexistent/a.litmus: No such file or directory"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("good [mainline]"), std::string::npos) << r.out;
}

TEST(Inputs, ASymlinkLoopIsReportedAsOneAsArgumentAndInsideAFolder) {
  const std::string good = write_temp("good.litmus", kGood);
  const fs::path dir = folder_of(good);
  fs::remove(dir / "a.litmus");
  fs::remove(dir / "b.litmus");
  fs::create_symlink(dir / "b.litmus", dir / "a.litmus");
  fs::create_symlink(dir / "a.litmus", dir / "b.litmus");
  const CliRun arg = cli({"run", "--policy", "mainline", (dir / "a.litmus").string(), good});
  EXPECT_EQ(arg.status, 2);
  EXPECT_NE(arg.err.find("a.litmus: symlink loop"), std::string::npos) << arg.err;
  EXPECT_NE(arg.out.find("good [mainline]"), std::string::npos);
  const CliRun folder = cli({"run", "--policy", "mainline", dir.string()});
  EXPECT_EQ(folder.status, 2);
  EXPECT_NE(folder.err.find("a.litmus: symlink loop"), std::string::npos) << folder.err;
  EXPECT_NE(folder.err.find("b.litmus: symlink loop"), std::string::npos) << folder.err;
  EXPECT_NE(folder.out.find("good [mainline]"), std::string::npos);
}

// Runs the mmsim binary as user `nobody` (when the tests run as root, who reads every folder)
// and returns its exit status and stderr.
CliRun run_unprivileged(const std::vector<std::string>& args) {
  int fds[2];
  CliRun r;
  if (::pipe(fds) != 0) return r;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 2);
    ::close(fds[0]);
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(99);
    std::vector<std::string> all{MMSIM_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(98);
  }
  ::close(fds[1]);
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) r.err.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

TEST(Inputs, AnUnreadableSubfolderIsReported) {
  const std::string good = write_temp("good.litmus", kGood);
  const fs::path sub = fs::path(folder_of(good)) / "locked";
  fs::create_directories(sub);
  ::chmod(sub.c_str(), 0);
  // The way down must be open to the unprivileged user: add o+rx to the test's own folders only
  // (never to the system's temporary folder itself).
  const fs::path top = fs::temp_directory_path() / "mmsim-model-tests";
  for (fs::path p = folder_of(good); p.string().size() >= top.string().size(); p = p.parent_path()) {
    fs::permissions(p, fs::perms::others_read | fs::perms::others_exec, fs::perm_options::add);
  }
  const CliRun r = run_unprivileged({"run", "--policy", "mainline", folder_of(good)});
  ::chmod(sub.c_str(), 0755);
  ASSERT_NE(r.status, 99) << "cannot drop privileges";
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_NE(r.err.find("locked: cannot read folder: Permission denied"), std::string::npos) << r.err;
}

TEST(Inputs, AnEmptyFolderIsAnError) {
  const fs::path dir = fs::path(folder_of(write_temp("x.txt", "not a test"))) / "empty";
  fs::create_directories(dir);
  const CliRun r = cli({"run", dir.string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("empty: no .litmus files in this folder"), std::string::npos) << r.err;
}

TEST(Inputs, DevicesAndFifosAreRefusedNotRead) {
  const std::string good = write_temp("good.litmus", kGood);
  const std::string fifo = (fs::path(folder_of(good)) / "pipe.litmus").string();
  fs::remove(fifo);
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const CliRun r = cli({"run", "--policy", "mainline", "/dev/zero", fifo, good});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("/dev/zero: not a regular file or a folder: it is a character device"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("pipe.litmus: not a regular file or a folder: it is a FIFO"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("good [mainline]"), std::string::npos);
  const CliRun in_folder = cli({"run", "--policy", "mainline", folder_of(good)});
  EXPECT_EQ(in_folder.status, 2);
  EXPECT_NE(in_folder.err.find("pipe.litmus: not a regular file: it is a FIFO"), std::string::npos) << in_folder.err;
}

TEST(Inputs, AFileNameThatIsNotUtf8IsRefusedAndTheJsonStaysValid) {
  const std::string good = write_temp("good.litmus", kGood);
  const std::string bad = write_temp("caf\xE9.litmus", kGood);
  const CliRun r = cli({"run", "--json", "--policy", "mainline", folder_of(good)});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("the file name is not valid UTF-8"), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find('\xE9'), std::string::npos) << "a raw byte in the JSON output";
  EXPECT_NE(r.out.find("\"test\":\"good\""), std::string::npos) << r.out;
}

TEST(Outputs, TraceDotNeverTakesATestFileAsItsOutput) {
  const std::string a = write_temp("a.litmus", kGood);
  const std::string b = write_temp("b.litmus", kGood);
  const CliRun one = cli({"run", "--trace-dot", a});  // the file becomes the value: no PATH left
  EXPECT_EQ(one.status, 2);
  const CliRun two = cli({"run", "--trace-dot", a, b});
  EXPECT_EQ(two.status, 2);
  EXPECT_NE(two.err.find("refused: it is a .litmus file"), std::string::npos) << two.err;
  EXPECT_EQ(slurp(a), kGood);
  const std::string dot = (fs::path(folder_of(a)) / "graph").string();
  fs::remove(dot);
  // An input without the .litmus extension is refused as an input.
  const std::string txt = write_temp("test.txt", kGood);
  const CliRun input = cli({"run", "--trace-dot", txt, "--policy", "mainline", txt});
  EXPECT_EQ(input.status, 2);
  EXPECT_NE(input.err.find("refused: it is the input"), std::string::npos) << input.err;
  EXPECT_EQ(slurp(txt), kGood);
  // A new file in the folder of the tests replaces nothing: it is written.
  const CliRun ok = cli({"run", "--trace", "--trace-dot", dot, "--policy", "mainline", folder_of(a)});
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_NE(slurp(dot).find("digraph"), std::string::npos);
}

TEST(Outputs, AnUnwritableTraceDotIsAnErrorWithItsCause) {
  const std::string a = write_temp("a.litmus", kGood);
  const CliRun r = cli({"run", "--trace", "--policy", "mainline", "--trace-dot", "/nonexistent/dir/t.dot", a});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("No such file or directory"), std::string::npos) << r.err;
}

TEST(Outputs, CompareRefusesToReplaceAFolderThatIsNotAReport) {
  const std::string a = write_temp("a.litmus", kGood);
  const CliRun r = cli({"compare", "--out", folder_of(a), a});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("refused"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(a), kGood);
}

TEST(Warnings, PolicyExcludedByTheTestsPoliciesLine) {
  const std::string a = write_temp("a.litmus", std::string("litmus only\npolicies mainline\n") + (kGood + 12));
  const CliRun r = cli({"run", "--policy", "exclusive", a});
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.err.find("warning: " + a + ": test 'only' does not run under exclusive: its 'policies' line excludes it"),
            std::string::npos) << r.err;
}

TEST(Usage, LimitsSpellNoLimitAsNoneAndRefuseZero) {
  const std::string a = write_temp("a.litmus", kGood);
  EXPECT_EQ(cli({"run", "--max-states", "0", a}).status, 2);
  EXPECT_EQ(cli({"run", "--max-memory", "0", a}).status, 2);
  EXPECT_EQ(cli({"run", "--max-states", "-1", a}).status, 2);
  EXPECT_EQ(cli({"run", "--max-states", "12x", a}).status, 2);
  EXPECT_EQ(cli({"run", "--policy", "mainline", "--max-states", "none", "--max-memory", "none", a}).status, 0);
  EXPECT_NE(cli({"run", "--max-memory", "0", a}).err.find("write 'none' for no limit"), std::string::npos);
}

TEST(Usage, SubcommandsRefuseOptionsTheyIgnore) {
  const std::string a = write_temp("a.litmus", kGood);
  EXPECT_EQ(cli({"compare", "--json", a}).status, 2);
  EXPECT_EQ(cli({"compare", "--replay", "0", a}).status, 2);
  EXPECT_EQ(cli({"run", "--out", "x", a}).status, 2);
  EXPECT_EQ(cli({"policies", "--json"}).status, 2);
}

TEST(Usage, EverySubcommandHasHelpThatDocumentsItsOptions) {
  const CliRun run = cli({"run", "--help"});
  EXPECT_EQ(run.status, 0);
  for (const char* opt : {"--policy", "--json", "--trace", "--quiet", "--max-states", "--max-memory", "--trace-dot",
                          "--replay", "THREAD[/CHOICE]", "4 MiB", "65535 ops", "Exit status"}) {
    EXPECT_NE(run.out.find(opt), std::string::npos) << opt << "\n" << run.out;
  }
  const CliRun compare = cli({"compare", "--help"});
  EXPECT_EQ(compare.status, 0);
  EXPECT_NE(compare.out.find("--out"), std::string::npos);
  EXPECT_EQ(compare.out.find("--replay"), std::string::npos);
  EXPECT_EQ(cli({"policies", "--help"}).status, 0);
}

TEST(Usage, VersionComesFromCMake) {
  const CliRun r = cli({"--version"});
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, std::string("mmsim ") + MMSIM_PROJECT_VERSION + "\n");
}

}  // namespace
}  // namespace mmsim::model::testing
