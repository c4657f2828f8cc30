#include "workflow/registry.h"

#include <algorithm>
#include <cctype>
#include <optional>

#include "workflow/civil_date.h"
#include "workflow/reference.h"

namespace kansli::workflow {
namespace {

constexpr std::size_t kTsvFields = 10;
constexpr std::size_t kRawFields = 4;

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// Removes HTML tags (<b>, </b>, <i>, ...) and markdown emphasis (**, __).
std::string StripMarkup(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '<') {
      const auto close = s.find('>', i);
      const bool tag = close != std::string::npos && i + 1 < s.size() &&
                       (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/');
      if (tag && s.find('\t', i) > close) {
        i = close;
        continue;
      }
    }
    if ((s[i] == '*' || s[i] == '_') && i + 1 < s.size() && s[i + 1] == s[i]) {
      ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

std::vector<std::string> SplitTabs(const std::string& line) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const auto tab = line.find('\t', start);
    fields.push_back(Trim(line.substr(start, tab - start)));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  return fields;
}

// The text's lines, markup stripped, "\r" removed; index 0 is line 1.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto nl = text.find('\n', start);
    std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(StripMarkup(line));
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  if (!lines.empty() && lines.back().empty()) lines.pop_back();
  if (!lines.empty() && lines.front().rfind("\xEF\xBB\xBF", 0) == 0)
    lines.front().erase(0, 3);  // a UTF-8 byte order mark
  return lines;
}

std::string Upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::string FieldCountError(std::size_t expected, std::size_t found) {
  return "expected " + std::to_string(expected) + " tab-separated fields, found " +
         std::to_string(found);
}

// The checks common to both formats: (line, message) of the first problem.
std::optional<std::pair<int, std::string>> Check(const RegistryRow& r, int date_line,
                                                 int reference_line) {
  if (!ParseDate(r.date))
    return std::make_pair(date_line, "date '" + r.date + "' is not a date (YYYY-MM-DD)");
  if (!ParseReference(r.case_reference, "RJL"))
    return std::make_pair(reference_line, "case reference '" + r.case_reference +
                                              "' is not a diarienummer (such as RJL 2022/2018)");
  if (r.case_title.empty())
    return std::make_pair(reference_line, std::string("case title missing"));
  if (r.document_type.empty())
    return std::make_pair(reference_line, std::string("document type missing"));
  return std::nullopt;
}

void Accept(RegistryParse& out, RegistryRow row, int date_line, int reference_line) {
  row.document_type = Upper(row.document_type);
  if (auto problem = Check(row, date_line, reference_line))
    out.errors.push_back(*problem);
  else
    out.rows.push_back(std::move(row));
}

void ParseTsv(const std::vector<std::string>& lines, std::size_t header, RegistryParse& out) {
  for (std::size_t i = header + 1; i < lines.size(); ++i) {
    if (Trim(lines[i]).empty()) continue;
    const int line = static_cast<int>(i) + 1;
    const auto f = SplitTabs(lines[i]);
    if (f.size() != kTsvFields) {
      out.errors.emplace_back(line, FieldCountError(kTsvFields, f.size()));
      continue;
    }
    RegistryRow r{line, f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]};
    Accept(out, std::move(r), line, line);
  }
}

bool IsColumnHeader(const std::vector<std::string>& f) {
  return !f.empty() && (f[0] == "Id" || f[0] == "Datum" || f[0] == "\xC3\x84rendenummer");
}

// A line that belongs to no record: blank, a heading, "Key: value" metadata,
// or the column headings.
bool IsNoise(const std::string& line) {
  const std::string t = Trim(line);
  if (t.empty() || t[0] == '#') return true;
  if (line.find('\t') == std::string::npos) return true;
  return IsColumnHeader(SplitTabs(line));
}

void ParseRaw(const std::vector<std::string>& lines, RegistryParse& out) {
  std::size_t i = 0;
  while (i < lines.size()) {
    if (IsNoise(lines[i])) {
      ++i;
      continue;
    }
    const int first = static_cast<int>(i) + 1;
    // The record's three lines; a record cut short ends at the first noise line.
    std::vector<std::vector<std::string>> parts;
    std::size_t j = i;
    while (j < lines.size() && parts.size() < 3 && !IsNoise(lines[j]))
      parts.push_back(SplitTabs(lines[j++]));
    i = j;
    if (parts.size() < 3) {
      out.errors.emplace_back(
          first, "incomplete record: expected 3 lines, found " + std::to_string(parts.size()));
      continue;
    }
    bool bad = false;
    for (std::size_t k = 0; k < 3 && !bad; ++k) {
      if (parts[k].size() != kRawFields) {
        out.errors.emplace_back(first + static_cast<int>(k),
                                FieldCountError(kRawFields, parts[k].size()));
        bad = true;
      }
    }
    if (bad) continue;
    const auto &a = parts[0], &b = parts[1], &c = parts[2];
    RegistryRow r{first, a[0], a[1], a[2], a[3], b[0], b[2], b[3], c[0], c[2], c[3]};
    Accept(out, std::move(r), first + 1, first + 2);
  }
}

}  // namespace

RegistryParse ParseRegistry(const std::string& text) {
  RegistryParse out;
  const auto lines = Lines(text);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (Trim(lines[i]).empty()) continue;
    const auto f = SplitTabs(lines[i]);
    if (f.size() == kTsvFields && f[0] == "doc_id" && f[9] == "document_type") {
      ParseTsv(lines, i, out);
      return out;
    }
    break;
  }
  ParseRaw(lines, out);
  return out;
}

}  // namespace kansli::workflow
