// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QThreadPool>

#include <memory>
#include <string_view>

#include "shared/protocol/codec.h"

namespace netlens::app::core {

/// Decodes a reply body as T on a pool thread and calls `apply(const T&)` on the GUI thread
/// unless `guard` has been deleted by then; a body that does not decode is dropped (the next
/// poll asks again). A VoIP answer with per-second series can be megabytes: decoding it on
/// the GUI thread would stall it. Thread: call on the GUI thread.
template <class T, class Apply>
void decodeInBackground(QObject* guard, const QByteArray& body, Apply apply) {
  QPointer<QObject> alive(guard);
  QThreadPool::globalInstance()->start([alive, body, apply] {
    auto decoded = std::make_shared<protocol::Result<T>>(protocol::decodeBody<T>(
        std::string_view(body.constData(), static_cast<std::size_t>(body.size()))));
    // The QPointer is only read on the GUI thread, where `guard` lives and dies.
    QMetaObject::invokeMethod(
        QCoreApplication::instance(),
        [alive, decoded, apply] {
          if (alive && decoded->ok()) apply(**decoded);
        },
        Qt::QueuedConnection);
  });
}

}  // namespace netlens::app::core
