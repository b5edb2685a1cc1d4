// SPDX-License-Identifier: MIT
#pragma once

namespace netlens::app::views {

/// Registers the console's embedded resources (resources/netlens.qrc: icons). They live in
/// the static library netlens_app_core, whose unreferenced resource initialiser the linker
/// would drop; calling this references it. Thread: any; idempotent.
void initResources();

}  // namespace netlens::app::views
