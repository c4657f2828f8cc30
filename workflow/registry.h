// The diarium's monthly registry export, in either of its two formats:
//   - the raw printout: header lines, "# Dokument" blocks, <b>/markdown markup,
//     and three tab-separated lines per record
//       doc_id \t I/U/K \t description \t responsible
//       date \t \t counterparty \t department
//       case_reference \t \t case_title \t document_type
//   - the normalised TSV: a header row "doc_id direction description
//     responsible date counterparty department case_reference case_title
//     document_type" and one row per record.
// The format is detected from the text. Pure: no I/O, no database.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace kansli::workflow {

struct RegistryRow {
  int line = 0;  // the (first) line of the record in the file, from 1
  std::string doc_id, direction, description, responsible, date, counterparty, department,
      case_reference, case_title, document_type;  // trimmed, markup removed
};

struct RegistryParse {
  std::vector<RegistryRow> rows;                    // the records that passed the checks
  std::vector<std::pair<int, std::string>> errors;  // (line, message) of each bad record
};

// Parses an export. A bad record (wrong field count, a date that is not
// YYYY-MM-DD, a case reference that is not a diarienummer, an empty case
// title or document type, an incomplete raw record) is reported by its line
// number and left out; the others are still returned. document_type is
// upper-cased.
RegistryParse ParseRegistry(const std::string& text);

}  // namespace kansli::workflow
