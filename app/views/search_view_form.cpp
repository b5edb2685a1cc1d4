// SPDX-License-Identifier: MIT
// The Search tab's form: building it, its texts, and reading it into a SearchForm.
#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "app/export/download_manager.h"
#include "app/views/capture_menu.h"
#include "app/views/search_view.h"

namespace netlens::app::views {
namespace {

QComboBox* sideBox(QWidget* parent, const QString& objectName) {
  auto* box = new QComboBox(parent);
  box->setObjectName(objectName);
  box->addItems({QString(), QString(), QString()});  // texts in retranslateUi
  return box;
}

void retranslateSides(QComboBox* box) {
  box->setItemText(0, SearchView::tr("either"));
  box->setItemText(1, SearchView::tr("source"));
  box->setItemText(2, SearchView::tr("destination"));
}

models::SearchSide sideOf(const QComboBox* box) {
  switch (box->currentIndex()) {
    case 1:
      return models::SearchSide::Source;
    case 2:
      return models::SearchSide::Destination;
    default:
      return models::SearchSide::Either;
  }
}

QLineEdit* lineEdit(QWidget* parent, const QString& objectName) {
  auto* edit = new QLineEdit(parent);
  edit->setObjectName(objectName);
  edit->setClearButtonEnabled(true);
  return edit;
}

}  // namespace

QWidget* SearchView::buildForm() {
  m_formBox = new QGroupBox(this);
  m_formBox->setObjectName(QStringLiteral("searchForm"));
  auto* grid = new QGridLayout;
  int row = 0;
  auto addRow = [&](QLabel*& label, QWidget* edit, QWidget* extra, int column) {
    label = new QLabel(m_formBox);
    label->setBuddy(edit);
    grid->addWidget(label, row, column);
    if (extra) {
      auto* pair = new QHBoxLayout;
      pair->addWidget(edit, 1);
      pair->addWidget(extra);
      grid->addLayout(pair, row, column + 1);
    } else {
      grid->addWidget(edit, row, column + 1);
    }
  };
  m_addresses = lineEdit(m_formBox, QStringLiteral("searchAddresses"));
  m_addressSide = sideBox(m_formBox, QStringLiteral("searchAddressSide"));
  addRow(m_addressLabel, m_addresses, m_addressSide, 0);
  m_macs = lineEdit(m_formBox, QStringLiteral("searchMacs"));
  m_macSide = sideBox(m_formBox, QStringLiteral("searchMacSide"));
  addRow(m_macLabel, m_macs, m_macSide, 2);
  ++row;
  m_ports = lineEdit(m_formBox, QStringLiteral("searchPorts"));
  m_portSide = sideBox(m_formBox, QStringLiteral("searchPortSide"));
  addRow(m_portLabel, m_ports, m_portSide, 0);
  // Two labelled fields in the right-hand column, the second one narrow.
  auto addPairRow = [&](QLabel*& label, QLineEdit* edit, QLabel*& narrowLabel, QLineEdit* narrow,
                        int narrowWidth) {
    narrow->setMaximumWidth(narrowWidth);
    narrowLabel = new QLabel(m_formBox);
    narrowLabel->setBuddy(narrow);
    label = new QLabel(m_formBox);
    label->setBuddy(edit);
    grid->addWidget(label, row, 2);
    auto* pair = new QHBoxLayout;
    pair->addWidget(edit, 1);
    pair->addWidget(narrowLabel);
    pair->addWidget(narrow);
    grid->addLayout(pair, row, 3);
  };
  m_protocols = lineEdit(m_formBox, QStringLiteral("searchProtocols"));
  m_vlans = lineEdit(m_formBox, QStringLiteral("searchVlans"));
  addPairRow(m_protocolLabel, m_protocols, m_vlanLabel, m_vlans, 120);
  ++row;
  m_bpf = lineEdit(m_formBox, QStringLiteral("searchBpf"));
  addRow(m_bpfLabel, m_bpf, nullptr, 0);
  m_payload = lineEdit(m_formBox, QStringLiteral("searchPayload"));
  m_payloadKind = new QComboBox(m_formBox);
  m_payloadKind->setObjectName(QStringLiteral("searchPayloadKind"));
  m_payloadKind->addItems({QString(), QString(), QString()});
  m_payloadPerSession = new QCheckBox(m_formBox);
  m_payloadPerSession->setObjectName(QStringLiteral("searchPayloadPerSession"));
  {
    auto* kind = new QWidget(m_formBox);
    auto* kindLayout = new QHBoxLayout(kind);
    kindLayout->setContentsMargins(0, 0, 0, 0);
    kindLayout->addWidget(m_payloadKind);
    kindLayout->addWidget(m_payloadPerSession);
    addRow(m_payloadLabel, m_payload, kind, 2);
  }
  ++row;
  m_httpHost = lineEdit(m_formBox, QStringLiteral("searchHttpHost"));
  addRow(m_httpHostLabel, m_httpHost, nullptr, 0);
  m_httpUrl = lineEdit(m_formBox, QStringLiteral("searchHttpUrl"));
  addRow(m_httpUrlLabel, m_httpUrl, nullptr, 2);
  ++row;
  m_httpUserAgent = lineEdit(m_formBox, QStringLiteral("searchHttpUserAgent"));
  addRow(m_httpUserAgentLabel, m_httpUserAgent, nullptr, 0);
  m_httpFile = lineEdit(m_formBox, QStringLiteral("searchHttpFile"));
  m_httpUser = lineEdit(m_formBox, QStringLiteral("searchHttpUser"));
  addPairRow(m_httpFileLabel, m_httpFile, m_httpUserLabel, m_httpUser, 160);
  ++row;

  m_useTime = new QCheckBox(m_formBox);
  m_useTime->setObjectName(QStringLiteral("searchUseTime"));
  auto makeTimeEdit = [this](const QString& name) {
    auto* edit = new QDateTimeEdit(m_formBox);
    edit->setObjectName(name);
    edit->setCalendarPopup(true);
    edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    edit->setDateTime(QDateTime::currentDateTime());
    return edit;
  };
  m_from = makeTimeEdit(QStringLiteral("searchFrom"));
  m_to = makeTimeEdit(QStringLiteral("searchTo"));
  m_toLabel = new QLabel(m_formBox);
  m_last5m = new QPushButton(m_formBox);
  m_last1h = new QPushButton(m_formBox);
  m_last24h = new QPushButton(m_formBox);
  m_allTime = new QPushButton(m_formBox);
  m_last5m->setObjectName(QStringLiteral("searchLast5m"));
  m_last1h->setObjectName(QStringLiteral("searchLast1h"));
  m_last24h->setObjectName(QStringLiteral("searchLast24h"));
  m_allTime->setObjectName(QStringLiteral("searchAllTime"));
  connect(m_last5m, &QPushButton::clicked, this, [this] { setQuickRange(5 * 60); });
  connect(m_last1h, &QPushButton::clicked, this, [this] { setQuickRange(3600); });
  connect(m_last24h, &QPushButton::clicked, this, [this] { setQuickRange(24 * 3600); });
  connect(m_allTime, &QPushButton::clicked, this, [this] { setQuickRange(0); });
  auto enableTimes = [this](bool on) {
    m_from->setEnabled(on);
    m_to->setEnabled(on);
  };
  connect(m_useTime, &QCheckBox::toggled, this, enableTimes);
  enableTimes(false);
  grid->addWidget(m_useTime, row, 0);
  auto* times = new QHBoxLayout;
  times->addWidget(m_from);
  times->addWidget(m_toLabel);
  times->addWidget(m_to);
  times->addSpacing(8);
  for (QPushButton* b : {m_last5m, m_last1h, m_last24h, m_allTime}) times->addWidget(b);
  times->addStretch(1);
  grid->addLayout(times, row, 1, 1, 3);
  ++row;

  m_limit = new QSpinBox(m_formBox);
  m_limit->setObjectName(QStringLiteral("searchLimit"));
  m_limit->setRange(0, static_cast<int>(protocol::kMaxSearchPackets));
  m_limit->setSingleStep(1000);
  m_limitLabel = new QLabel(m_formBox);
  m_limitLabel->setBuddy(m_limit);
  grid->addWidget(m_limitLabel, row, 0);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(m_limit);
  buttons->addSpacing(16);
  m_searchButton = new QPushButton(m_formBox);
  m_searchButton->setObjectName(QStringLiteral("searchStart"));
  m_searchButton->setDefault(true);
  m_stopButton = new QPushButton(m_formBox);
  m_stopButton->setObjectName(QStringLiteral("searchStop"));
  m_saveButton = new QPushButton(m_formBox);
  m_saveButton->setObjectName(QStringLiteral("searchSavePcap"));
  buttons->addWidget(m_searchButton);
  buttons->addWidget(m_stopButton);
  buttons->addWidget(m_saveButton);
  m_liveButton = new QPushButton(m_formBox);
  m_liveButton->setObjectName(QStringLiteral("searchLive"));
  buttons->addWidget(m_liveButton);
  m_state = new QLabel(m_formBox);
  m_state->setObjectName(QStringLiteral("searchState"));
  buttons->addWidget(m_state, 1);
  grid->addLayout(buttons, row, 1, 1, 3);
  ++row;
  m_formErrors = new QLabel(m_formBox);
  m_formErrors->setObjectName(QStringLiteral("searchFormErrors"));
  m_formErrors->setTextFormat(Qt::PlainText);
  m_formErrors->setStyleSheet(QStringLiteral("color: #c62828;"));
  m_formErrors->setWordWrap(true);
  m_formErrors->hide();
  grid->addWidget(m_formErrors, row, 0, 1, 4);
  grid->setColumnStretch(1, 1);
  grid->setColumnStretch(3, 1);
  grid->setRowStretch(row + 1, 1);  // spare height below the form, not between its rows

  m_nodeList = new QTreeWidget(m_formBox);
  m_nodeList->setObjectName(QStringLiteral("searchNodes"));
  m_nodeList->setColumnCount(2);
  m_nodeList->setRootIsDecorated(false);
  m_nodeList->setUniformRowHeights(true);
  m_nodeList->header()->setStretchLastSection(true);
  m_nodeList->setMinimumWidth(320);
  m_nodeList->header()->resizeSection(0, 170);
  m_nodesLabel = new QLabel(m_formBox);
  auto* nodesBox = new QVBoxLayout;
  nodesBox->addWidget(m_nodesLabel);
  nodesBox->addWidget(m_nodeList, 1);

  auto* outer = new QHBoxLayout(m_formBox);
  outer->addLayout(grid, 3);
  outer->addLayout(nodesBox, 1);

  for (QLineEdit* edit : {m_addresses, m_macs, m_ports, m_protocols, m_vlans, m_bpf, m_payload,
                          m_httpHost, m_httpUrl, m_httpUserAgent, m_httpFile, m_httpUser})
    connect(edit, &QLineEdit::returnPressed, this, &SearchView::startSearch);
  for (QLineEdit* edit : {m_addresses, m_macs, m_ports, m_protocols, m_vlans, m_bpf, m_payload,
                          m_httpHost, m_httpUrl, m_httpUserAgent, m_httpFile, m_httpUser})
    connect(edit, &QLineEdit::textChanged, this, &SearchView::updateLiveButton);
  connect(m_searchButton, &QPushButton::clicked, this, &SearchView::startSearch);
  connect(m_stopButton, &QPushButton::clicked, this, &SearchView::stop);
  connect(m_saveButton, &QPushButton::clicked, this, &SearchView::savePcapInteractively);
  connect(m_liveButton, &QPushButton::clicked, this, [this] {
    models::CaptureQuery query;
    QStringList problems;
    if (!liveQuery(&query, &problems)) {
      m_formErrors->setText(problems.join(QLatin1Char('\n')));
      m_formErrors->show();
      return;
    }
    m_formErrors->hide();
    if (m_downloads->runningLive(query.title)) {
      toggleLiveCapture(QString());
      return;
    }
    const QString fileName =
        m_downloads->chooseFile(this, tr("Live capture: %1").arg(query.title), query.fileStem);
    if (!fileName.isEmpty()) toggleLiveCapture(fileName);
  });
  connect(m_downloads, &exporting::DownloadManager::liveCapturesChanged, this,
          &SearchView::updateLiveButton);
  connect(m_nodeList, &QTreeWidget::itemChanged, this, [this] { updateButtons(); });
  return m_formBox;
}

void SearchView::retranslateForm() {
  m_formBox->setTitle(tr("Search the nodes' packet stores"));
  m_addressLabel->setText(tr("&Addresses:"));
  m_addresses->setPlaceholderText(tr("IPv4 or IPv6, several separated by commas"));
  m_macLabel->setText(tr("&MAC:"));
  m_macs->setPlaceholderText(tr("aa:bb:cc:dd:ee:ff"));
  m_portLabel->setText(tr("&Ports:"));
  m_ports->setPlaceholderText(tr("e.g. 53, 443"));
  m_protocolLabel->setText(tr("P&rotocol:"));
  m_protocols->setPlaceholderText(tr("tcp, udp, icmp, icmp6, sctp, gre, esp or a number"));
  m_vlanLabel->setText(tr("&VLAN:"));
  m_bpfLabel->setText(tr("&BPF:"));
  m_bpf->setPlaceholderText(tr("a capture filter, e.g. tcp[tcpflags] & tcp-syn != 0"));
  m_bpf->setToolTip(
      tr("Compiled by each node for each stored segment's link type; plain BPF "
         "does not look into VLAN tags or tunnels unless told to (vlan and ...)."));
  m_payloadLabel->setText(tr("Pa&yload:"));
  m_payload->setPlaceholderText(tr("bytes in one packet's payload"));
  m_payloadKind->setItemText(0, tr("text"));
  m_payloadKind->setItemText(1, tr("hex"));
  m_payloadKind->setItemText(2, tr("regex"));
  m_payloadKind->setToolTip(
      tr("regex: a POSIX extended regular expression (as grep -E), byte by byte; each node "
         "checks it and explains a mistake."));
  m_payloadPerSession->setText(tr("per session"));
  m_payloadPerSession->setToolTip(
      tr("Match across the packets of each TCP session (in sequence order) and show every "
         "packet of the sessions that hold it."));
  m_httpHostLabel->setText(tr("HTTP host:"));
  m_httpHost->setPlaceholderText(tr("Host header without port, e.g. www.example.com"));
  m_httpUrlLabel->setText(tr("HTTP URL:"));
  m_httpUrl->setPlaceholderText(tr("part of the request target, e.g. /login"));
  m_httpUserAgentLabel->setText(tr("User agent:"));
  m_httpUserAgent->setPlaceholderText(tr("part of the User-Agent, e.g. curl"));
  m_httpFileLabel->setText(tr("File:"));
  m_httpFile->setPlaceholderText(tr("last path segment, e.g. setup.exe"));
  m_httpUserLabel->setText(tr("User:"));
  m_httpUser->setPlaceholderText(tr("Basic auth user"));
  const QString httpTip =
      tr("HTTP criteria select the TCP sessions that carry a request meeting all of those "
         "given, and show every packet of those sessions. Host and file ignore case, as does "
         "the user agent; one value per field.");
  for (QLineEdit* edit : {m_httpHost, m_httpUrl, m_httpUserAgent, m_httpFile, m_httpUser})
    edit->setToolTip(httpTip);
  for (QComboBox* box : {m_addressSide, m_macSide, m_portSide}) retranslateSides(box);
  m_useTime->setText(tr("&Time from"));
  m_toLabel->setText(tr("to"));
  m_last5m->setText(tr("Last 5 min"));
  m_last1h->setText(tr("Last hour"));
  m_last24h->setText(tr("Last 24 h"));
  m_allTime->setText(tr("All"));
  const QString quickTip =
      tr("Relative to the newest packet the checked nodes hold (or now when none says)");
  for (QPushButton* b : {m_last5m, m_last1h, m_last24h}) b->setToolTip(quickTip);
  m_limitLabel->setText(tr("&Limit:"));
  m_limit->setSpecialValueText(tr("node maximum"));
  m_limit->setSuffix(tr(" packets"));
  m_limit->setToolTip(tr("At most this many packets per node (%1 at most)")
                          .arg(QLocale().toString(protocol::kMaxSearchPackets)));
}

models::SearchForm SearchView::form() const {
  models::SearchForm f;
  f.addresses = m_addresses->text();
  f.addressSide = sideOf(m_addressSide);
  f.macs = m_macs->text();
  f.macSide = sideOf(m_macSide);
  f.ports = m_ports->text();
  f.portSide = sideOf(m_portSide);
  f.protocols = m_protocols->text();
  f.vlans = m_vlans->text();
  f.bpf = m_bpf->text();
  f.payload = m_payload->text();
  f.payloadIsHex = m_payloadKind->currentIndex() == 1;
  f.payloadIsRegex = m_payloadKind->currentIndex() == 2;
  f.payloadPerSession = m_payloadPerSession->isChecked();
  f.httpHost = m_httpHost->text();
  f.httpUrl = m_httpUrl->text();
  f.httpUserAgent = m_httpUserAgent->text();
  f.httpFile = m_httpFile->text();
  f.httpUser = m_httpUser->text();
  if (m_useTime->isChecked()) {
    // The edits show whole seconds: the end takes in all of its second.
    f.from = m_from->dateTime().toMSecsSinceEpoch() / 1000 * 1'000'000'000;
    f.to = m_to->dateTime().toMSecsSinceEpoch() / 1000 * 1'000'000'000 + 999'999'999;
  }
  f.limit = static_cast<quint64>(m_limit->value());
  return f;
}

}  // namespace netlens::app::views
