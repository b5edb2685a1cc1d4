// SPDX-License-Identifier: MIT
#include "app/views/resources.h"

#include <QtGlobal>

#include <mutex>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initNetlensResources() {
  Q_INIT_RESOURCE(netlens);
}

namespace netlens::app::views {

void initResources() {
  static std::once_flag once;
  std::call_once(once, initNetlensResources);
}

}  // namespace netlens::app::views
