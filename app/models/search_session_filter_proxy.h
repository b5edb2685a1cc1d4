// SPDX-License-Identifier: MIT
#pragma once

#include "app/models/search_session_model.h"
#include "app/models/typed_filter_proxy.h"

namespace netlens::app::models {

/// Sorts SearchSessionModel rows on their raw values and keeps the rows that pass the filter
/// (see TableFilterProxy): plain text matches a part of either address, the protocol or the
/// node name; text starting with `(` is a FilterExpression over
/// SearchSessionModel::filterColumns().
class SearchSessionFilterProxy : public TypedFilterProxy<SearchSessionModel> {
 public:
  using TypedFilterProxy::TypedFilterProxy;
};

}  // namespace netlens::app::models
