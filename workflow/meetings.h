// Meetings as the domain sees them: paragraph numbers (§) and what a
// meeting's agenda must hold for the cases' deadlines to hold.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "workflow/model.h"
#include "workflow/ports.h"

namespace kansli::workflow {

// "§ 23" or "§23" (spaces around allowed) → 23. Nullopt for anything else,
// such as a delegate's "§8/2022" or a range "§§ 12–14": those are kept as
// text and take no part in the numbering.
std::optional<int> ParseParagraph(const std::string& text);
// 23 → "§ 23".
std::string FormatParagraph(int number);

// When a meeting has no next meeting planned, due_before_next_meeting looks
// this many days ahead.
inline constexpr int kAgendaHorizonDays = 60;

// The sections of a meeting's agenda, by the kind of its organ:
//  every organ:   scheduled_here (deadlines back-scheduled to this very meeting),
//                 due_before_next_meeting, overdue (the organ's open deadlines,
//                 or those of the cases it is responsible for);
//  fullmäktige:   ready_for_decision (motions the board has proposed);
//  its presidium: to_distribute (registered motions awaiting fördelning);
//  styrelse and its utskott: board_preparation (answered motions of the
//                 organisation's fullmäktige);
//  nämnd:         proposal_ready (remisser with a proposal, motions with a
//                 presidium's recommendation);
//  a nämnd's presidium: needs_proposal (its nämnd's remisser in preparation)
//                 and in_preparation (its nämnd's motions in preparation).
// `next` is the organ's next meeting after this one, if planned.
AgendaRequest PlanAgenda(const Meeting& meeting, const std::vector<Organ>& organs,
                         const std::optional<Meeting>& next);

// Swedish heading of a section code.
std::string AgendaSectionLabel(const std::string& code);

// Why the item is on the agenda, in a sentence a clerk reads ("Svar från
// ansvarig nämnd förfaller 2022-02-19: 12 dagar sedan").
std::string AgendaReason(const std::string& section, const AgendaItem& item,
                         const Date& meeting_day);

}  // namespace kansli::workflow
