// The JSON parsing ceiling: simdjson DOM-parses every page (one thread per core) and counts failed sign-ins
// by country. Usage: simdjson_failed_by_country INTERRUPT_CODES_CSV FILE... ; prints one JSON line like the
// other peers: {"seconds":…,"records":…,"answer":{country:failures}}.
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

struct Tally {
  long records = 0;
  std::map<std::string, long> failures;
  std::string error;
};

static void work(const std::vector<std::string>& files, size_t from, size_t step, const std::set<int64_t>& interrupts,
                 Tally& t) {
  simdjson::dom::parser parser;
  for (size_t i = from; i < files.size(); i += step) {
    simdjson::dom::element doc;
    if (auto err = parser.load(files[i]).get(doc)) {
      t.error = files[i] + ": " + simdjson::error_message(err);
      return;
    }
    simdjson::dom::array value;
    if (doc["value"].get_array().get(value)) continue;
    for (auto rec : value) {
      t.records++;
      int64_t code = 0;
      if (rec.at_pointer("/status/errorCode").get_int64().get(code)) continue;
      if (code == 0 || interrupts.count(code)) continue;
      std::string_view country;
      std::string key = "(none)";
      if (!rec.at_pointer("/location/countryOrRegion").get_string().get(country) && !country.empty()) {
        key = std::string(country);
      }
      t.failures[key]++;
    }
  }
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s INTERRUPT_CODES_CSV FILE...\n", argv[0]);
    return 2;
  }
  std::set<int64_t> interrupts;
  std::stringstream codes(argv[1]);
  for (std::string c; std::getline(codes, c, ',');) interrupts.insert(std::stoll(c));
  std::vector<std::string> files(argv + 2, argv + argc);
  auto started = std::chrono::steady_clock::now();
  size_t threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<Tally> tallies(threads);
  std::vector<std::thread> pool;
  for (size_t i = 0; i < threads; i++) {
    pool.emplace_back(work, std::cref(files), i, threads, std::cref(interrupts), std::ref(tallies[i]));
  }
  for (auto& th : pool) th.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  long records = 0;
  std::map<std::string, long> total;
  for (auto& t : tallies) {
    if (!t.error.empty()) {
      std::fprintf(stderr, "error: %s\n", t.error.c_str());
      return 1;
    }
    records += t.records;
    for (auto& [k, v] : t.failures) total[k] += v;
  }
  std::printf("{\"seconds\":%.6f,\"records\":%ld,\"answer\":{", seconds, records);
  bool first = true;
  for (auto& [k, v] : total) {
    // Country codes are plain ASCII; anything else would need escaping, which the sample never produces.
    std::printf("%s\"%s\":%ld", first ? "" : ",", k.c_str(), v);
    first = false;
  }
  std::printf("}}\n");
  return 0;
}
