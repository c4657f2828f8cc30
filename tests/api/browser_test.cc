// The web app in a real browser: Debian's headless Chromium driven by
// playwright-core (tests/browser/app.test.mjs) against `kansli serve` with the
// demo data, signing in with accounts made by `kansli account create`.
#include <doctest/doctest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "tests/api/api_support.h"
#include "tests/support/env.h"
#include "tests/support/process.h"

namespace kansli::test {
namespace {

namespace fs = std::filesystem;

// The accounts the browser tests sign in as (usernames and passwords reach them
// as KANSLI_WEB_<ROLE>_USER / _PASSWORD).
const std::map<std::string, std::string> kDisplayNames = {{"admin", "Anna Administratör"},
                                                          {"registrar", "Rita Registrator"},
                                                          {"presidium", "Per Presidium"},
                                                          {"reader", "Lena Läsare"}};

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// npm ci in tests/browser when playwright-core is not installed there yet.
void InstallPlaywright(const fs::path& browser_dir) {
  if (fs::exists(browser_dir / "node_modules" / "playwright-core" / "package.json")) return;
  const auto npm = RunCommand(
      {"/usr/bin/env", "npm", "ci", "--no-audit", "--no-fund", "--prefix", browser_dir.string()},
      {{"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"}}, std::chrono::seconds(300));
  REQUIRE_MESSAGE(npm.exit_code == 0, "npm ci in ", browser_dir.string(),
                  " failed (is npm installed?): ", npm.Describe());
}

TEST_SUITE("browser") {
  TEST_CASE("The web app works end to end in a headless browser for every role") {
    const fs::path browser_dir = SourceDir() / "tests" / "browser";
    REQUIRE_MESSAGE(fs::exists("/usr/bin/chromium"),
                    "the browser tests need Debian's Chromium: apt-get install chromium");
    InstallPlaywright(browser_dir);

    ServerOptions o = PrivateServer::DefaultOptions();
    o.demo_load = true;
    PrivateServer p(o);

    const fs::path output = TestOutputDir();
    const fs::path secrets = output / ("browser-accounts-" + UniqueSuffix());
    fs::create_directories(secrets);
    fs::permissions(secrets, fs::perms::owner_all, fs::perm_options::replace);
    EnvOverrides env{{"BASE_URL", p.server.base_url()},
                     {"KANSLI_TEST_OUTPUT", output.string()},
                     {"PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"}};
    for (const auto& [role, display_name] : kDisplayNames) {
      const std::string username = "web-" + role;
      const std::string password = "losen-" + role + "-" + UniqueSuffix();
      const fs::path file = secrets / (username + ".txt");
      {
        std::ofstream out(file);
        out << password << "\n";
      }
      p.db.KansliOk({"account", "create", "--username", username, "--display-name", display_name,
                     "--role", role, "--password-file", file.string()});
      fs::remove(file);
      env["KANSLI_WEB_" + Upper(role) + "_USER"] = username;
      env["KANSLI_WEB_" + Upper(role) + "_PASSWORD"] = password;
    }
    fs::remove_all(secrets);

    const auto r = RunCommand({"/usr/bin/env", "node", (browser_dir / "app.test.mjs").string()},
                              env, std::chrono::seconds(300));
    std::ofstream(output / "browser-tests.log") << r.out << r.err;
    CHECK_MESSAGE(r.exit_code == 0, "the browser tests failed (screenshots in ",
                  (output / "screenshots").string(), ", server log ", p.server.log_path().string(),
                  "): ", r.Describe());
  }
}

}  // namespace
}  // namespace kansli::test
