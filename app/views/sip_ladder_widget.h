// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "shared/protocol/messages.h"

namespace netlens::app::views {

/// Where a call's messages go in a ladder diagram: one column per participant (IP:port, in
/// order of first appearance, the sender of the first message first) and one arrow per
/// message in time order (ties keep the node's order). Thread: any (pure data).
struct SipLadderLayout {
  struct Arrow {
    int message = 0;  ///< index into the messages given to layoutLadder()
    int from = 0;     ///< column of the sender
    int to = 0;       ///< column of the receiver (equal to `from` for a message to itself)
    protocol::TimeNs offsetNs = 0;  ///< since the first message
  };
  QStringList participants;
  std::vector<Arrow> arrows;
};

/// The ladder of `messages` (see SipLadderLayout).
SipLadderLayout layoutLadder(const std::vector<protocol::SipMessageRecord>& messages);

/// The start line of a message as the ladder labels it: "INVITE" or "200 OK", with " (SDP)"
/// when it carries a body.
QString ladderLabel(const protocol::SipMessageRecord& message);

/// A SIP ladder (sequence) diagram of one call: participants as columns with their lifelines,
/// messages as arrows from sender to receiver, top to bottom in time order, each labelled with
/// its method or status and its time since the first message. Requests are blue, provisional
/// responses grey, 2xx green, other final responses red. Clicking an arrow (or its label)
/// selects it and emits messageSelected(); the arrow keys move the selection. The widget takes
/// the size its diagram needs: put it in a QScrollArea.
///
/// Thread: GUI thread.
class SipLadderWidget : public QWidget {
  Q_OBJECT

 public:
  explicit SipLadderWidget(QWidget* parent = nullptr);

  /// Shows `messages` (one call's, any order); the selection is cleared.
  void setMessages(std::vector<protocol::SipMessageRecord> messages);
  const std::vector<protocol::SipMessageRecord>& messages() const { return m_messages; }
  const SipLadderLayout& ladder() const { return m_layout; }
  /// The selected message (index into messages()), or -1.
  int selectedMessage() const { return m_selected; }
  void setSelectedMessage(int message);

  /// Geometry, for tests and hit testing: the x of a participant's lifeline and the y of the
  /// arrow of row `arrow` (its position in ladder().arrows).
  int columnX(int column) const;
  int arrowY(int arrow) const;
  /// The arrow row under a widget position, or -1.
  int arrowAt(const QPoint& position) const;
  /// The colour of a message's arrow.
  static QColor colorOf(const protocol::SipMessageRecord& message);

  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 signals:
  /// `message` (index into messages()) was selected; -1 when the selection was cleared.
  void messageSelected(int message);

 protected:
  void paintEvent(QPaintEvent* event) override;
  void mousePressEvent(QMouseEvent* event) override;
  void keyPressEvent(QKeyEvent* event) override;
  void changeEvent(QEvent* event) override;

 private:
  int rowOfMessage(int message) const;
  void relayout();

  std::vector<protocol::SipMessageRecord> m_messages;
  SipLadderLayout m_layout;
  int m_selected = -1;
  int m_columnWidth = 180;
  int m_rowHeight = 34;
  int m_timeWidth = 80;
  int m_headerHeight = 40;
};

}  // namespace netlens::app::views
