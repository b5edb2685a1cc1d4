// SPDX-License-Identifier: MIT
#pragma once

// Where our figures and a tshark reference must differ, and why: the corpus tests list each
// such case with the reference's rows exactly as they are (checked, so that a changed
// reference makes the reason be checked again) and ours, which replace them before comparing.

#include <QString>
#include <vector>

namespace netlens::tests {

/// `Table` maps a row key (QString) to its figures.
template <typename Table>
struct ReferenceDifference {
  const char* capture;
  const char* why;
  Table tshark;
  Table ours;
};

/// Replaces, in `expected` (the reference of `capture`), the rows the differences of `capture`
/// name by ours. Returns an empty string, or which reference row is no longer as written down.
template <typename Table>
QString applyDifferences(const std::vector<ReferenceDifference<Table>>& differences,
                         const QString& capture, Table& expected) {
  for (const ReferenceDifference<Table>& d : differences) {
    if (capture != QLatin1String(d.capture)) continue;
    for (const auto& [key, value] : d.tshark) {
      const auto it = expected.find(key);
      if (it == expected.end() || !(it->second == value))
        return QStringLiteral("reference changed for %1: %2").arg(capture, key);
      expected.erase(it);
    }
    for (const auto& [key, value] : d.ours) expected[key] = value;
  }
  return {};
}

}  // namespace netlens::tests
