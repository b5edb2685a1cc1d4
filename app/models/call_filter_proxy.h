// SPDX-License-Identifier: MIT
#pragma once

#include "app/models/call_table_model.h"
#include "app/models/typed_filter_proxy.h"

namespace netlens::app::models {

/// Sorts CallTableModel rows on their raw values and keeps the rows that pass the filter
/// (see TableFilterProxy): plain text matches a part of From, To, the state, the codecs, the
/// Call-ID or the node name; text starting with `(` is a FilterExpression over
/// CallTableModel::filterColumns().
class CallFilterProxy : public TypedFilterProxy<CallTableModel> {
 public:
  using TypedFilterProxy::TypedFilterProxy;
};

}  // namespace netlens::app::models
