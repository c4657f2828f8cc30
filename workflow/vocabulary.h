// The Swedish display labels and the per-event field lists that the API and
// the web app show; and who may do what. Codes are stable; labels are for people.
#pragma once

#include <string>
#include <vector>

namespace kansli::workflow {

// "Under beredning" for ("motion", "in_preparation"); the code itself if unknown.
std::string StateLabel(const std::string& case_type, const std::string& state);
std::string EventLabel(const std::string& case_type, const std::string& event);
std::string OutcomeLabel(const std::string& outcome);
std::string CaseTypeLabel(const std::string& case_type);

struct FieldSpec {
  std::string name;
  bool required = false;
  std::string description;  // Swedish
};

// The fields an event takes beyond the common ones (date, organ, paragraph,
// text, document, vote, reservations, clauses), in a useful order.
std::vector<FieldSpec> EventFields(const std::string& case_type, const std::string& event);

// The roles of api.md.
inline const std::vector<std::string> kRoles = {"admin",     "registrar", "secretary",
                                                "presidium", "officer",   "reader"};

bool MayRegister(const std::string& role);
// Whether `role` may record `event` on a case of `case_type`.
bool MayRecord(const std::string& role, const std::string& case_type, const std::string& event);
// admin only: tokens, organs, settings.
bool MayAdminister(const std::string& role);

}  // namespace kansli::workflow
