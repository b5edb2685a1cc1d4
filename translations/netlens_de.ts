<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>CallQueries</name>
    <message>
        <source>call %1</source>
        <translation>Anruf %1</translation>
    </message>
    <message>
        <source>audio of call %1</source>
        <translation>Audio des Anrufs %1</translation>
    </message>
    <message>
        <source>audio of stream %1</source>
        <translation>Audio des Streams %1</translation>
    </message>
</context>
<context>
    <name>CaptureMenu</name>
    <message>
        <source>Stop &amp;live capture</source>
        <translation>&amp;Live-Mitschnitt anhalten</translation>
    </message>
    <message>
        <source>&amp;Live capture…</source>
        <translation>&amp;Live-Mitschnitt …</translation>
    </message>
    <message>
        <source>Download &amp;PCAP…</source>
        <translation>&amp;PCAP herunterladen …</translation>
    </message>
</context>
<context>
    <name>CaptureQueries</name>
    <message>
        <source>host %1</source>
        <translation>Host %1</translation>
    </message>
    <message>
        <source>host %1, MAC %2</source>
        <translation>Host %1, MAC %2</translation>
    </message>
    <message>
        <source>group %1</source>
        <translation>Gruppe %1</translation>
    </message>
    <message>
        <source>protocol %1</source>
        <translation>Protokoll %1</translation>
    </message>
    <message>
        <source>%1 %2 ↔ %3</source>
        <translation>%1 %2 ↔ %3</translation>
    </message>
    <message>
        <source>DSCP %1</source>
        <translation>DSCP %1</translation>
    </message>
    <message>
        <source>port %1</source>
        <translation>Port %1</translation>
    </message>
    <message>
        <source>%1 port %2</source>
        <translation>%1 Port %2</translation>
    </message>
    <message>
        <source>host %1, DSCP %2</source>
        <translation>Host %1, DSCP %2</translation>
    </message>
    <message>
        <source>host %1, VLAN PCP %2</source>
        <translation>Host %1, VLAN-PCP %2</translation>
    </message>
    <message>
        <source>host %1, MPLS TC %2</source>
        <translation>Host %1, MPLS-TC %2</translation>
    </message>
    <message>
        <source>group %1, DSCP %2</source>
        <translation>Gruppe %1, DSCP %2</translation>
    </message>
    <message>
        <source>group %1, VLAN PCP %2</source>
        <translation>Gruppe %1, VLAN-PCP %2</translation>
    </message>
    <message>
        <source>group %1, MPLS TC %2</source>
        <translation>Gruppe %1, MPLS-TC %2</translation>
    </message>
    <message>
        <source>group %1, tcp port %2</source>
        <translation>Gruppe %1, TCP-Port %2</translation>
    </message>
</context>
<context>
    <name>FilterExpression</name>
    <message>
        <source>unbalanced &apos;)&apos; at %1</source>
        <translation>unpaariges &apos;)&apos; an Position %1</translation>
    </message>
    <message>
        <source>expected &apos;and&apos; or &apos;or&apos; at %1</source>
        <translation>&apos;and&apos; oder &apos;or&apos; erwartet an Position %1</translation>
    </message>
    <message>
        <source>unexpected character &apos;%1&apos; at %2</source>
        <translation>unerwartetes Zeichen &apos;%1&apos; an Position %2</translation>
    </message>
    <message>
        <source>unterminated text: the quote at %1 is never closed</source>
        <translation>Text ohne Ende: das Anführungszeichen an Position %1 wird nie geschlossen</translation>
    </message>
    <message>
        <source>, found &apos;%1&apos;</source>
        <translation>, gefunden: &apos;%1&apos;</translation>
    </message>
    <message>
        <source>the expression is nested too deeply at %1</source>
        <translation>zu tief verschachtelter Ausdruck an Position %1</translation>
    </message>
    <message>
        <source>unbalanced &apos;(&apos; at %1</source>
        <translation>unpaariges &apos;(&apos; an Position %1</translation>
    </message>
    <message>
        <source>expected &apos;and&apos;, &apos;or&apos; or &apos;)&apos; at %1</source>
        <translation>&apos;and&apos;, &apos;or&apos; oder &apos;)&apos; erwartet an Position %1</translation>
    </message>
    <message>
        <source>expected a column name at %1</source>
        <translation>Spaltenname erwartet an Position %1</translation>
    </message>
    <message>
        <source>expected an operator such as ==, &gt;, contains or in after &apos;%1&apos; at %2</source>
        <translation>nach &apos;%1&apos; wird ein Operator wie ==, &gt;, contains oder in erwartet, an Position %2</translation>
    </message>
    <message>
        <source>unknown column &apos;%1&apos; at %2; did you mean &apos;%3&apos;? (known: %4)</source>
        <translation>unbekannte Spalte &apos;%1&apos; an Position %2; meinten Sie &apos;%3&apos;? (bekannt: %4)</translation>
    </message>
    <message>
        <source>unknown column &apos;%1&apos; at %2 (known: %3)</source>
        <translation>unbekannte Spalte &apos;%1&apos; an Position %2 (bekannt: %3)</translation>
    </message>
    <message>
        <source>expected a value after &apos;%1&apos; at %2</source>
        <translation>nach &apos;%1&apos; fehlt ein Wert an Position %2</translation>
    </message>
    <message>
        <source>cannot compare &apos;%1&apos; (%2) with &apos;%3&apos; (%4) at %5</source>
        <translation>&apos;%1&apos; (%2) kann nicht mit &apos;%3&apos; (%4) verglichen werden, an Position %5</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a text column; put the text in quotes (&quot;%2&quot;) at %3</source>
        <translation>&apos;%1&apos; ist eine Textspalte; setzen Sie den Text in Anführungszeichen (&quot;%2&quot;), an Position %3</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a number column; compare it with a number such as 10k or 1.5M at %2</source>
        <translation>&apos;%1&apos; ist eine Zahlenspalte; vergleichen Sie sie mit einer Zahl wie 10k oder 1.5M, an Position %2</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is an address column; compare it with an address such as 10.0.0.1 or 2001:db8::1 at %2</source>
        <translation>&apos;%1&apos; ist eine Adressspalte; vergleichen Sie sie mit einer Adresse wie 10.0.0.1 oder 2001:db8::1, an Position %2</translation>
    </message>
    <message>
        <source>a network such as %1 can only follow &apos;in&apos;, &apos;==&apos; or &apos;!=&apos; (at %2)</source>
        <translation>ein Netz wie %1 kann nur nach &apos;in&apos;, &apos;==&apos; oder &apos;!=&apos; stehen (an Position %2)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is a time column; compare it with a date and time in quotes such as &quot;2024-05-01 14:30&quot; at %2</source>
        <translation>&apos;%1&apos; ist eine Zeitspalte; vergleichen Sie sie mit Datum und Uhrzeit in Anführungszeichen wie &quot;2024-05-01 14:30&quot;, an Position %2</translation>
    </message>
    <message>
        <source>invalid date and time &quot;%1&quot; at %2 (use e.g. &quot;2024-05-01 14:30&quot;, local time, or ISO 8601 with Z or an offset)</source>
        <translation>ungültige Datums- und Zeitangabe &quot;%1&quot; an Position %2 (z. B. &quot;2024-05-01 14:30&quot; in Ortszeit oder ISO 8601 mit Z oder Zeitversatz)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; works on text and address columns; &apos;%2&apos; is a %3 column (at %4)</source>
        <translation>&apos;%1&apos; gilt nur für Text- und Adressspalten; &apos;%2&apos; ist eine Spalte vom Typ %3 (an Position %4)</translation>
    </message>
    <message>
        <source>expected text in quotes after &apos;%1&apos; at %2</source>
        <translation>nach &apos;%1&apos; wird Text in Anführungszeichen erwartet, an Position %2</translation>
    </message>
    <message>
        <source>invalid regular expression at %1: %2 (at offset %3 of the pattern)</source>
        <translation>ungültiger regulärer Ausdruck an Position %1: %2 (bei Zeichen %3 des Musters)</translation>
    </message>
    <message>
        <source>&apos;in&apos; works on address columns; &apos;%1&apos; is a %2 column (at %3)</source>
        <translation>&apos;in&apos; gilt nur für Adressspalten; &apos;%1&apos; ist eine Spalte vom Typ %2 (an Position %3)</translation>
    </message>
    <message>
        <source>expected a network such as 10.0.0.0/8 after &apos;in&apos; at %1</source>
        <translation>nach &apos;in&apos; wird ein Netz wie 10.0.0.0/8 erwartet, an Position %1</translation>
    </message>
    <message>
        <source>invalid number &apos;%1&apos; at %2 (write e.g. 1500, 1.5k or 2Mi)</source>
        <translation>ungültige Zahl &apos;%1&apos; an Position %2 (schreiben Sie z. B. 1500, 1.5k oder 2Mi)</translation>
    </message>
    <message>
        <source>unknown unit &apos;%1&apos; at %2 (use k, M, G, T or Ki, Mi, Gi, Ti)</source>
        <translation>unbekannte Einheit &apos;%1&apos; an Position %2 (möglich: k, M, G, T oder Ki, Mi, Gi, Ti)</translation>
    </message>
    <message>
        <source>invalid address &apos;%1&apos; at %2</source>
        <translation>ungültige Adresse &apos;%1&apos; an Position %2</translation>
    </message>
    <message>
        <source>invalid network &apos;%1&apos; at %2: the prefix length must be 0 to %3</source>
        <translation>ungültiges Netz &apos;%1&apos; an Position %2: die Präfixlänge muss zwischen 0 und %3 liegen</translation>
    </message>
    <message>
        <source>number</source>
        <translation>Zahl</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>time</source>
        <translation>Zeit</translation>
    </message>
</context>
<context>
    <name>NodeState</name>
    <message>
        <source>Connecting</source>
        <translation>Verbindung wird aufgebaut</translation>
    </message>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Not authorised</source>
        <translation>Nicht autorisiert</translation>
    </message>
    <message>
        <source>Unreachable</source>
        <translation>Nicht erreichbar</translation>
    </message>
    <message>
        <source>Server key mismatch</source>
        <translation>Falscher Serverschlüssel</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>layer-7 protocols</source>
        <translation>Layer-7-Protokolle</translation>
    </message>
    <message>
        <source>peer history</source>
        <translation>Verlauf je Gegenstelle</translation>
    </message>
    <message>
        <source>QoS</source>
        <translation>QoS</translation>
    </message>
    <message>
        <source>TLS details</source>
        <translation>TLS-Details</translation>
    </message>
    <message>
        <source>Not analysed: %1</source>
        <translation>Nicht analysiert: %1</translation>
    </message>
</context>
<context>
    <name>PacketDissection</name>
    <message>
        <source>echo reply</source>
        <translation>Echo-Antwort</translation>
    </message>
    <message>
        <source>destination unreachable (code %1)</source>
        <translation>Ziel nicht erreichbar (Code %1)</translation>
    </message>
    <message>
        <source>redirect</source>
        <translation>Umleitung</translation>
    </message>
    <message>
        <source>echo request</source>
        <translation>Echo-Anfrage</translation>
    </message>
    <message>
        <source>time exceeded in-transit</source>
        <translation>Zeit überschritten unterwegs</translation>
    </message>
    <message>
        <source>type %1 code %2</source>
        <translation>Typ %1 Code %2</translation>
    </message>
    <message>
        <source>packet too big</source>
        <translation>Paket zu groß</translation>
    </message>
    <message>
        <source>router solicitation</source>
        <translation>Router-Anfrage</translation>
    </message>
    <message>
        <source>router advertisement</source>
        <translation>Router-Ankündigung</translation>
    </message>
    <message>
        <source>neighbor solicitation</source>
        <translation>Nachbar-Anfrage</translation>
    </message>
    <message>
        <source>neighbor advertisement</source>
        <translation>Nachbar-Ankündigung</translation>
    </message>
    <message>
        <source>, id %1, seq %2</source>
        <translation>, ID %1, Seq %2</translation>
    </message>
    <message>
        <source>The answer is not a pcap file.</source>
        <translation>Die Antwort ist keine pcap-Datei.</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Frame</source>
        <translation>Rahmen</translation>
    </message>
    <message>
        <source>%1 bytes on wire, %2 captured</source>
        <translation>%1 Bytes auf der Leitung, %2 aufgezeichnet</translation>
    </message>
    <message>
        <source>Time (UTC)</source>
        <translation>Zeit (UTC)</translation>
    </message>
    <message>
        <source>Wire length</source>
        <translation>Länge auf der Leitung</translation>
    </message>
    <message>
        <source>Captured length</source>
        <translation>Aufgezeichnete Länge</translation>
    </message>
    <message>
        <source>Link type</source>
        <translation>Link-Typ</translation>
    </message>
    <message>
        <source>Encapsulations</source>
        <translation>Kapselungen</translation>
    </message>
    <message>
        <source>Link layer</source>
        <translation>Sicherungsschicht</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>VLAN %1</source>
        <translation>VLAN %1</translation>
    </message>
    <message>
        <source>VLAN id</source>
        <translation>VLAN-ID</translation>
    </message>
    <message>
        <source>Priority (PCP)</source>
        <translation>Priorität (PCP)</translation>
    </message>
    <message>
        <source>Label %1</source>
        <translation>Label %1</translation>
    </message>
    <message>
        <source>%1, traffic class %2</source>
        <translation>%1, Verkehrsklasse %2</translation>
    </message>
    <message>
        <source>Header length</source>
        <translation>Kopflänge</translation>
    </message>
    <message>
        <source>DSCP</source>
        <translation>DSCP</translation>
    </message>
    <message>
        <source>ECN</source>
        <translation>ECN</translation>
    </message>
    <message>
        <source>Identification</source>
        <translation>Identifikation</translation>
    </message>
    <message>
        <source>don&apos;t fragment</source>
        <translation>nicht fragmentieren</translation>
    </message>
    <message>
        <source>more fragments</source>
        <translation>weitere Fragmente</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>Flags</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Fragment offset</source>
        <translation>Fragment-Offset</translation>
    </message>
    <message>
        <source>Time to live</source>
        <translation>Lebensdauer (TTL)</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Traffic class (DSCP)</source>
        <translation>Verkehrsklasse (DSCP)</translation>
    </message>
    <message>
        <source>Hop limit</source>
        <translation>Hop-Limit</translation>
    </message>
    <message>
        <source>Next header (final)</source>
        <translation>Nächster Header (letzter)</translation>
    </message>
    <message>
        <source>Fragment id</source>
        <translation>Fragment-ID</translation>
    </message>
    <message>
        <source>More fragments</source>
        <translation>Weitere Fragmente</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>ja</translation>
    </message>
    <message>
        <source>no</source>
        <translation>nein</translation>
    </message>
    <message>
        <source>Payload length</source>
        <translation>Nutzdatenlänge</translation>
    </message>
    <message>
        <source>Source port</source>
        <translation>Quellport</translation>
    </message>
    <message>
        <source>Destination port</source>
        <translation>Zielport</translation>
    </message>
    <message>
        <source>Sequence number</source>
        <translation>Sequenznummer</translation>
    </message>
    <message>
        <source>Acknowledgment number</source>
        <translation>Bestätigungsnummer</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>Fenster</translation>
    </message>
    <message>
        <source>Window scale</source>
        <translation>Window Scale</translation>
    </message>
    <message>
        <source>Segment length</source>
        <translation>Segmentlänge</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Länge</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Payload</source>
        <translation>Nutzdaten</translation>
    </message>
    <message numerus="yes">
        <source>%n byte(s)</source>
        <translation>
            <numerusform>%n Byte</numerusform>
            <numerusform>%n Bytes</numerusform>
        </translation>
    </message>
    <message>
        <source>Malformed</source>
        <translation>Fehlerhaft</translation>
    </message>
    <message>
        <source>A pcap record is longer than any packet.</source>
        <translation>Ein pcap-Eintrag ist länger als jedes Paket.</translation>
    </message>
    <message>
        <source>The pcap file is damaged: %1</source>
        <translation>Die pcap-Datei ist beschädigt: %1</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Netlens</source>
        <translation>Netlens</translation>
    </message>
    <message>
        <source>The console key cannot be used: %1</source>
        <translation>Der Konsolenschlüssel ist nicht verwendbar: %1</translation>
    </message>
</context>
<context>
    <name>SearchQuery</name>
    <message>
        <source>Address &quot;%1&quot; is not an IPv4 or IPv6 address.</source>
        <translation>Adresse „%1“ ist keine IPv4- oder IPv6-Adresse.</translation>
    </message>
    <message>
        <source>MAC &quot;%1&quot; is not a MAC address (aa:bb:cc:dd:ee:ff).</source>
        <translation>MAC „%1“ ist keine MAC-Adresse (aa:bb:cc:dd:ee:ff).</translation>
    </message>
    <message>
        <source>Port &quot;%1&quot; is not a port number (0 to 65535).</source>
        <translation>Port „%1“ ist keine Portnummer (0 bis 65535).</translation>
    </message>
    <message>
        <source>Protocol &quot;%1&quot; is not tcp, udp, icmp, icmp6, sctp, gre, esp or a number from 0 to 255.</source>
        <translation>Protokoll „%1“ ist weder tcp, udp, icmp, icmp6, sctp, gre, esp noch eine Zahl von 0 bis 255.</translation>
    </message>
    <message>
        <source>VLAN &quot;%1&quot; is not a VLAN id (0 to 4095).</source>
        <translation>VLAN „%1“ ist keine VLAN-ID (0 bis 4095).</translation>
    </message>
    <message>
        <source>Payload &quot;%1&quot; is not hex bytes (two digits each, e.g. 47 45 54).</source>
        <translation>Nutzdaten „%1“ sind keine Hex-Bytes (je zwei Ziffern, z. B. 47 45 54).</translation>
    </message>
    <message>
        <source>The time range ends before it begins.</source>
        <translation>Der Zeitraum endet, bevor er beginnt.</translation>
    </message>
    <message>
        <source>The limit is at most %1 packets.</source>
        <translation>Das Limit beträgt höchstens %1 Pakete.</translation>
    </message>
    <message>
        <source>HTTP host &quot;%1&quot; is not a host name (no spaces or slashes; the port is left out).</source>
        <translation>HTTP-Host „%1“ ist kein Hostname (keine Leerzeichen oder Schrägstriche; ohne Port).</translation>
    </message>
</context>
<context>
    <name>UserGuide</name>
    <message>
        <source>Help</source>
        <translation>Hilfe</translation>
    </message>
    <message>
        <source>The user guide (README.md) is not installed beside the program. See the section &quot;%1&quot; of the project&apos;s README.</source>
        <translation>Das Handbuch (README.md) ist nicht neben dem Programm installiert. Siehe den Abschnitt „%1“ in der README des Projekts.</translation>
    </message>
</context>
<context>
    <name>netlens::app::core::LocalNode</name>
    <message>
        <source>The local node program %1 was not found next to the console or on the PATH.</source>
        <translation>Das Programm %1 für den lokalen Knoten wurde weder neben der Konsole noch im PATH gefunden.</translation>
    </message>
    <message>
        <source>Cannot create the folder %1.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>Authorising the console on the local node failed: %1</source>
        <translation>Die Konsole konnte auf dem lokalen Knoten nicht autorisiert werden: %1</translation>
    </message>
    <message>
        <source>No free pair of loopback ports was found for the local node.</source>
        <translation>Für den lokalen Knoten wurde kein freies Paar von Loopback-Ports gefunden.</translation>
    </message>
    <message>
        <source>The local node stopped (exit code %1).
%2</source>
        <translation>Der lokale Knoten wurde beendet (Exit-Code %1).
%2</translation>
    </message>
    <message>
        <source>The local node did not report its connection string: %1</source>
        <translation>Der lokale Knoten hat keinen Verbindungsstring geliefert: %1</translation>
    </message>
</context>
<context>
    <name>netlens::app::core::NodeClient</name>
    <message>
        <source>Connecting to %1</source>
        <translation>Verbinde mit %1</translation>
    </message>
    <message>
        <source>Cannot create the connection: %1</source>
        <translation>Die Verbindung kann nicht angelegt werden: %1</translation>
    </message>
    <message>
        <source>The node speaks protocol version %1, this console %2.</source>
        <translation>Der Knoten spricht Protokollversion %1, diese Konsole %2.</translation>
    </message>
    <message>
        <source>Cannot subscribe to updates: %1</source>
        <translation>Aktualisierungen können nicht abonniert werden: %1</translation>
    </message>
    <message>
        <source>%1 as %2</source>
        <translation>%1 als %2</translation>
    </message>
    <message numerus="yes">
        <source>%1 (next attempt in %n s)</source>
        <translation>
            <numerusform>%1 (nächster Versuch in %n s)</numerusform>
            <numerusform>%1 (nächster Versuch in %n s)</numerusform>
        </translation>
    </message>
    <message>
        <source>Connection error: %1</source>
        <translation>Verbindungsfehler: %1</translation>
    </message>
    <message>
        <source>The node is not connected.</source>
        <translation>Der Knoten ist nicht verbunden.</translation>
    </message>
    <message>
        <source>The node refused the request: %1</source>
        <translation>Der Knoten hat die Anfrage abgelehnt: %1</translation>
    </message>
    <message>
        <source>The node sent a bad connection list: %1</source>
        <translation>Der Knoten hat eine fehlerhafte Verbindungsliste gesendet: %1</translation>
    </message>
</context>
<context>
    <name>netlens::app::core::NodeManager</name>
    <message>
        <source>The node %1 is already in the list.</source>
        <translation>Der Knoten %1 ist bereits in der Liste.</translation>
    </message>
    <message>
        <source>Connecting to %1</source>
        <translation>Verbinde mit %1</translation>
    </message>
</context>
<context>
    <name>netlens::app::core::SearchRunner</name>
    <message>
        <source>The node was removed.</source>
        <translation>Der Knoten wurde entfernt.</translation>
    </message>
    <message>
        <source>Unknown node.</source>
        <translation>Unbekannter Knoten.</translation>
    </message>
    <message>
        <source>The node sent a bad search answer: %1</source>
        <translation>Der Knoten hat eine fehlerhafte Suchantwort gesendet: %1</translation>
    </message>
</context>
<context>
    <name>netlens::app::exporting::AudioDownload</name>
    <message>
        <source>the node was removed</source>
        <translation>der Knoten wurde entfernt</translation>
    </message>
    <message>
        <source>the node is not connected</source>
        <translation>der Knoten ist nicht verbunden</translation>
    </message>
    <message>
        <source>a bad page: %1</source>
        <translation>eine fehlerhafte Seite: %1</translation>
    </message>
    <message>
        <source>stopped before any audio arrived: no file written</source>
        <translation>angehalten, bevor Audio ankam: keine Datei geschrieben</translation>
    </message>
    <message numerus="yes">
        <source>stopped: the audio of %n packet(s) kept</source>
        <translation>
            <numerusform>angehalten: das Audio von %n Paket behalten</numerusform>
            <numerusform>angehalten: das Audio von %n Paketen behalten</numerusform>
        </translation>
    </message>
    <message>
        <source>the node sent the same page again</source>
        <translation>der Knoten hat dieselbe Seite noch einmal gesendet</translation>
    </message>
</context>
<context>
    <name>netlens::app::exporting::DownloadManager</name>
    <message>
        <source>pcapng, one interface per node (*.pcapng);;Classic pcap, for old tools (*.pcap);;All files (*)</source>
        <translation>pcapng, eine Schnittstelle je Knoten (*.pcapng);;Klassisches pcap, für alte Werkzeuge (*.pcap);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>No node to download from.</source>
        <translation>Kein Knoten zum Herunterladen.</translation>
    </message>
    <message>
        <source>Download PCAP: %1</source>
        <translation>PCAP herunterladen: %1</translation>
    </message>
    <message numerus="yes">
        <source>Downloaded %n packet(s) to %1</source>
        <translation>
            <numerusform>%n Paket nach %1 heruntergeladen</numerusform>
            <numerusform>%n Pakete nach %1 heruntergeladen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>%1 — failed: %2</source>
        <translation>%1 — fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Downloading %1 to %2… (progress in the Captures tab)</source>
        <translation>Lade %1 nach %2 herunter … (Fortschritt im Tab Mitschnitte)</translation>
    </message>
    <message>
        <source>No node to capture from.</source>
        <translation>Kein Knoten zum Mitschneiden.</translation>
    </message>
    <message>
        <source>Live capture: %1</source>
        <translation>Live-Mitschnitt: %1</translation>
    </message>
</context>
<context>
    <name>netlens::app::exporting::LivePcapDownload</name>
    <message>
        <source>a bad chunk: %1</source>
        <translation>ein fehlerhaftes Stück: %1</translation>
    </message>
    <message>
        <source>a chunk of another link type than the capture&apos;s</source>
        <translation>ein Stück mit einem anderen Link-Typ als dem des Mitschnitts</translation>
    </message>
    <message>
        <source>%1: the node was removed</source>
        <translation>%1: der Knoten wurde entfernt</translation>
    </message>
    <message>
        <source>no node to capture from</source>
        <translation>kein Knoten zum Mitschneiden</translation>
    </message>
    <message>
        <source>%1: unknown node</source>
        <translation>%1: unbekannter Knoten</translation>
    </message>
    <message>
        <source>%1: a bad answer to the start: %2</source>
        <translation>%1: eine fehlerhafte Antwort auf den Start: %2</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message numerus="yes">
        <source>stopped: %n packet(s) kept</source>
        <translation>
            <numerusform>angehalten: %n Paket behalten</numerusform>
            <numerusform>angehalten: %n Pakete behalten</numerusform>
        </translation>
    </message>
    <message>
        <source>no file written</source>
        <translation>keine Datei geschrieben</translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) kept</source>
        <translation>
            <numerusform>%n Paket behalten</numerusform>
            <numerusform>%n Pakete behalten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) dropped by the nodes&apos; full buffers</source>
        <translation>
            <numerusform>%n Paket wegen voller Puffer der Knoten verworfen</numerusform>
            <numerusform>%n Pakete wegen voller Puffer der Knoten verworfen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>netlens::app::exporting::StorePcapDownload</name>
    <message>
        <source>a bad page: %1</source>
        <translation>eine fehlerhafte Seite: %1</translation>
    </message>
    <message>
        <source>the matching packets have several link types, which one file cannot hold: narrow the time range and download each part</source>
        <translation>die passenden Pakete haben mehrere Link-Typen, die eine Datei nicht aufnehmen kann: den Zeitraum eingrenzen und jeden Teil einzeln herunterladen</translation>
    </message>
    <message>
        <source>%1: the node was removed</source>
        <translation>%1: der Knoten wurde entfernt</translation>
    </message>
    <message>
        <source>no node to download from</source>
        <translation>kein Knoten zum Herunterladen</translation>
    </message>
    <message>
        <source>%1: unknown node</source>
        <translation>%1: unbekannter Knoten</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 sent a page that does not advance; stopped rather than ask forever</source>
        <translation>%1 sandte eine Seite, die nicht weiterführt; angehalten statt endlos zu fragen</translation>
    </message>
    <message>
        <source>limit reached, more packets matched</source>
        <translation>Grenze erreicht, weitere Pakete passten</translation>
    </message>
    <message numerus="yes">
        <source>stopped: %n packet(s) kept</source>
        <translation>
            <numerusform>angehalten: %n Paket behalten</numerusform>
            <numerusform>angehalten: %n Pakete behalten</numerusform>
        </translation>
    </message>
    <message>
        <source>no file written</source>
        <translation>keine Datei geschrieben</translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) kept</source>
        <translation>
            <numerusform>%n Paket behalten</numerusform>
            <numerusform>%n Pakete behalten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n copy/copies seen by several nodes left out</source>
        <translation>
            <numerusform>%n von mehreren Knoten gesehene Kopie ausgelassen</numerusform>
            <numerusform>%n von mehreren Knoten gesehene Kopien ausgelassen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>netlens::app::models::CallTableModel</name>
    <message>
        <source>trying</source>
        <translation>versucht</translation>
    </message>
    <message>
        <source>ringing</source>
        <translation>klingelt</translation>
    </message>
    <message>
        <source>answered</source>
        <translation>angenommen</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>beendet</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Call-ID %1</source>
        <translation>Call-ID %1</translation>
    </message>
    <message>
        <source>MOS of the caller&apos;s audio (ITU-T G.107 E-model), the worst of its streams</source>
        <translation>MOS des Anrufer-Audios (ITU-T G.107 E-Modell), der schlechteste seiner Streams</translation>
    </message>
    <message>
        <source>MOS of the callee&apos;s audio, the worst of its streams</source>
        <translation>MOS des Angerufenen-Audios, der schlechteste seiner Streams</translation>
    </message>
    <message>
        <source>Packets lost in the call&apos;s RTP streams, of those expected</source>
        <translation>Verlorene Pakete der RTP-Streams des Anrufs, von den erwarteten</translation>
    </message>
    <message>
        <source>Highest RFC 3550 jitter of the call&apos;s RTP streams</source>
        <translation>Höchster Jitter nach RFC 3550 der RTP-Streams des Anrufs</translation>
    </message>
    <message>
        <source>From the answer to the BYE (or the last message)</source>
        <translation>Von der Annahme bis zum BYE (oder der letzten Nachricht)</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>From</source>
        <translation>Von</translation>
    </message>
    <message>
        <source>To</source>
        <translation>An</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>Dauer</translation>
    </message>
    <message>
        <source>Codecs</source>
        <translation>Codecs</translation>
    </message>
    <message>
        <source>MOS →</source>
        <translation>MOS →</translation>
    </message>
    <message>
        <source>MOS ←</source>
        <translation>MOS ←</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Max jitter</source>
        <translation>Max. Jitter</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
</context>
<context>
    <name>netlens::app::models::ConnectionTableModel</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>Retransmissions: %1
Fast retransmissions: %2
Spurious retransmissions: %3
Retransmitted bytes: %4</source>
        <translation>Retransmissionen: %1
Fast Retransmissions: %2
Unnötige Retransmissionen: %3
Wiederholt gesendete Bytes: %4</translation>
    </message>
    <message>
        <source>Client to server: %1
Server to client: %2</source>
        <translation>Client zum Server: %1
Server zum Client: %2</translation>
    </message>
    <message>
        <source>Retransmissions, fast and spurious retransmissions together</source>
        <translation>Retransmissionen, Fast Retransmissions und unnötige Retransmissionen zusammen</translation>
    </message>
    <message>
        <source>Out-of-order segments of both directions</source>
        <translation>Segmente außer der Reihe in beiden Richtungen</translation>
    </message>
    <message>
        <source>TCP handshake: from the SYN to the SYN/ACK (network and server)</source>
        <translation>TCP-Handshake: vom SYN bis zum SYN/ACK (Netz und Server)</translation>
    </message>
    <message>
        <source>TCP handshake: from the SYN/ACK to the ACK (network and client)</source>
        <translation>TCP-Handshake: vom SYN/ACK bis zum ACK (Netz und Client)</translation>
    </message>
    <message>
        <source>TCP handshake: from the SYN to the ACK</source>
        <translation>TCP-Handshake: vom SYN bis zum ACK</translation>
    </message>
    <message>
        <source>Bits per second of both directions over the last complete second</source>
        <translation>Bit pro Sekunde beider Richtungen in der letzten vollständigen Sekunde</translation>
    </message>
    <message>
        <source>Window scale shift of the client / of the server</source>
        <translation>Window-Scale-Faktor (Shift) des Clients / des Servers</translation>
    </message>
    <message>
        <source>Largest receive window the client announced (scaled)</source>
        <translation>Größtes vom Client angekündigtes Empfangsfenster (skaliert)</translation>
    </message>
    <message>
        <source>Largest receive window the server announced (scaled)</source>
        <translation>Größtes vom Server angekündigtes Empfangsfenster (skaliert)</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Client port</source>
        <translation>Client-Port</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Server port</source>
        <translation>Server-Port</translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Zuerst gesehen</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>Packets C→S</source>
        <translation>Pakete C→S</translation>
    </message>
    <message>
        <source>Bytes C→S</source>
        <translation>Bytes C→S</translation>
    </message>
    <message>
        <source>Packets S→C</source>
        <translation>Pakete S→C</translation>
    </message>
    <message>
        <source>Bytes S→C</source>
        <translation>Bytes S→C</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>Retrans. C→S</source>
        <translation>Retrans. C→S</translation>
    </message>
    <message>
        <source>Retrans. S→C</source>
        <translation>Retrans. S→C</translation>
    </message>
    <message>
        <source>Out of order</source>
        <translation>Außer der Reihe</translation>
    </message>
    <message>
        <source>Handshake server</source>
        <translation>Handshake Server</translation>
    </message>
    <message>
        <source>Handshake client</source>
        <translation>Handshake Client</translation>
    </message>
    <message>
        <source>Handshake RTT</source>
        <translation>Handshake-RTT</translation>
    </message>
    <message>
        <source>Max. window C</source>
        <translation>Max. Fenster C</translation>
    </message>
    <message>
        <source>Max. window S</source>
        <translation>Max. Fenster S</translation>
    </message>
    <message>
        <source>Window scale</source>
        <translation>Window Scale</translation>
    </message>
    <message>
        <source>%1 µs</source>
        <translation>%1 µs</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Client country</source>
        <translation>Land des Clients</translation>
    </message>
    <message>
        <source>Server country</source>
        <translation>Land des Servers</translation>
    </message>
    <message>
        <source>DSCP</source>
        <translation>DSCP</translation>
    </message>
    <message>
        <source>VLAN PCP</source>
        <translation>VLAN-PCP</translation>
    </message>
    <message>
        <source>MPLS TC</source>
        <translation>MPLS-TC</translation>
    </message>
    <message>
        <source>MPLS labels</source>
        <translation>MPLS-Labels</translation>
    </message>
    <message>
        <source>TLS server name</source>
        <translation>TLS-Servername</translation>
    </message>
    <message>
        <source>TLS version</source>
        <translation>TLS-Version</translation>
    </message>
    <message>
        <source>TLS cipher</source>
        <translation>TLS-Cipher</translation>
    </message>
    <message>
        <source>HTTP host</source>
        <translation>HTTP-Host</translation>
    </message>
    <message>
        <source>HTTP URL</source>
        <translation>HTTP-URL</translation>
    </message>
    <message>
        <source>HTTP status</source>
        <translation>HTTP-Status</translation>
    </message>
    <message>
        <source>Response time</source>
        <translation>Antwortzeit</translation>
    </message>
    <message>
        <source>Client→server / server→client, as the latest packet of each direction carried it; * marks a direction whose marking changed, – one without it</source>
        <translation>Client→Server / Server→Client, wie das letzte Paket der Richtung sie trug; * markiert eine Richtung, deren Markierung wechselte, – eine ohne</translation>
    </message>
    <message>
        <source>Negotiated by the server (ServerHello)</source>
        <translation>Vom Server ausgehandelt (ServerHello)</translation>
    </message>
    <message>
        <source>Of the last HTTP transaction of the connection</source>
        <translation>Der letzten HTTP-Transaktion der Verbindung</translation>
    </message>
    <message>
        <source>TCP: mean time from a client request to the server&apos;s first response byte</source>
        <translation>TCP: mittlere Zeit von einer Client-Anfrage bis zum ersten Antwortbyte des Servers</translation>
    </message>
    <message>
        <source>Window usage</source>
        <translation>Fensternutzung</translation>
    </message>
    <message>
        <source>Window full</source>
        <translation>Fenster voll</translation>
    </message>
    <message>
        <source>Client / server: the largest receive window announced, as a share of the largest the negotiated window scale allows (unknown without the handshake)</source>
        <translation>Client / Server: das größte angekündigte Empfangsfenster als Anteil des größten, das die ausgehandelte Fensterskalierung erlaubt (ohne Handshake unbekannt)</translation>
    </message>
    <message>
        <source>Client / server: segments that filled the other side&apos;s receive window (the sender was held back by the window, tshark&apos;s window_full)</source>
        <translation>Client / Server: Segmente, die das Empfangsfenster der Gegenseite füllten (der Sender wurde vom Fenster gebremst, tsharks window_full)</translation>
    </message>
    <message>
        <source>Client group</source>
        <translation>Client-Gruppe</translation>
    </message>
    <message>
        <source>Server group</source>
        <translation>Server-Gruppe</translation>
    </message>
    <message>
        <source>Retransmitted bytes</source>
        <translation>Wiederholt gesendete Bytes</translation>
    </message>
    <message>
        <source>HTTP method</source>
        <translation>HTTP-Methode</translation>
    </message>
    <message>
        <source>User agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <source>Content type</source>
        <translation>Inhaltstyp</translation>
    </message>
    <message>
        <source>HTTP requests</source>
        <translation>HTTP-Anfragen</translation>
    </message>
    <message>
        <source>HTTP errors</source>
        <translation>HTTP-Fehler</translation>
    </message>
    <message>
        <source>ALPN</source>
        <translation>ALPN</translation>
    </message>
    <message>
        <source>TLS hello time</source>
        <translation>TLS-Hello-Zeit</translation>
    </message>
    <message>
        <source>TLS first data</source>
        <translation>TLS erste Daten</translation>
    </message>
    <message>
        <source>Bytes of the retransmitted segments, both directions</source>
        <translation>Bytes der wiederholt gesendeten Segmente, beide Richtungen</translation>
    </message>
    <message>
        <source>Responses with a 4xx or 5xx status</source>
        <translation>Antworten mit Status 4xx oder 5xx</translation>
    </message>
    <message>
        <source>The application protocol the server selected (else the client&apos;s first)</source>
        <translation>Das vom Server gewählte Anwendungsprotokoll (sonst das erste des Clients)</translation>
    </message>
    <message>
        <source>ClientHello → ServerHello</source>
        <translation>ClientHello → ServerHello</translation>
    </message>
    <message>
        <source>ClientHello → the server&apos;s first application data</source>
        <translation>ClientHello → erste Anwendungsdaten des Servers</translation>
    </message>
</context>
<context>
    <name>netlens::app::models::DownloadTableModel</name>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>done</source>
        <translation>fertig</translation>
    </message>
    <message>
        <source>done (%1)</source>
        <translation>fertig (%1)</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>failed: %1</source>
        <translation>fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>%1 B</source>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 kB</source>
        <translation>%1 kB</translation>
    </message>
    <message>
        <source>%1 MB</source>
        <translation>%1 MB</translation>
    </message>
    <message>
        <source>%1 GB</source>
        <translation>%1 GB</translation>
    </message>
    <message>
        <source>Stop this download, keeping what arrived</source>
        <translation>Diesen Download anhalten und behalten, was angekommen ist</translation>
    </message>
    <message>
        <source>live</source>
        <translation>live</translation>
    </message>
    <message>
        <source>packet store</source>
        <translation>Paketspeicher</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message numerus="yes">
        <source>running; %n packet(s) dropped by the nodes</source>
        <translation>
            <numerusform>läuft; %n Paket von den Knoten verworfen</numerusform>
            <numerusform>läuft; %n Pakete von den Knoten verworfen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>netlens::app::models::HostTableModel</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Start of the current activity period of this address</source>
        <translation>Beginn der aktuellen Aktivitätsphase dieser Adresse</translation>
    </message>
    <message>
        <source>Packets per second over the last complete second</source>
        <translation>Pakete pro Sekunde in der letzten vollständigen Sekunde</translation>
    </message>
    <message>
        <source>Bits per second over the last complete second</source>
        <translation>Bits pro Sekunde in der letzten vollständigen Sekunde</translation>
    </message>
    <message>
        <source>MAC addresses seen beside this IP address</source>
        <translation>Zusammen mit dieser IP-Adresse gesehene MAC-Adressen</translation>
    </message>
    <message>
        <source>Outermost VLAN IDs of its packets</source>
        <translation>Äußerste VLAN-IDs ihrer Pakete</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Sent packets</source>
        <translation>Gesendete Pakete</translation>
    </message>
    <message>
        <source>Sent bytes</source>
        <translation>Gesendete Bytes</translation>
    </message>
    <message>
        <source>Received packets</source>
        <translation>Empfangene Pakete</translation>
    </message>
    <message>
        <source>Received bytes</source>
        <translation>Empfangene Bytes</translation>
    </message>
    <message>
        <source>TCP packets</source>
        <translation>TCP-Pakete</translation>
    </message>
    <message>
        <source>UDP packets</source>
        <translation>UDP-Pakete</translation>
    </message>
    <message>
        <source>Packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>Bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Zuerst gesehen</translation>
    </message>
    <message>
        <source>First recent</source>
        <translation>Zuletzt aktiv seit</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>MAC addresses</source>
        <translation>MAC-Adressen</translation>
    </message>
    <message>
        <source>VLANs</source>
        <translation>VLANs</translation>
    </message>
    <message>
        <source>%1 Gbit/s</source>
        <translation>%1 Gbit/s</translation>
    </message>
    <message>
        <source>%1 Mbit/s</source>
        <translation>%1 Mbit/s</translation>
    </message>
    <message>
        <source>%1 kbit/s</source>
        <translation>%1 kbit/s</translation>
    </message>
    <message>
        <source>%1 bit/s</source>
        <translation>%1 bit/s</translation>
    </message>
    <message>
        <source>The figures of %1 are from %2, when it was last connected.</source>
        <translation>Die Zahlen von %1 stammen vom %2, als der Knoten zuletzt verbunden war.</translation>
    </message>
    <message>
        <source>%1 is not connected; its figures may be out of date.</source>
        <translation>%1 ist nicht verbunden; seine Zahlen sind möglicherweise veraltet.</translation>
    </message>
    <message>
        <source>Names learned from DNS answers and DHCP, most recent first</source>
        <translation>Aus DNS-Antworten und DHCP gelernte Namen, neueste zuerst</translation>
    </message>
    <message>
        <source>Names</source>
        <translation>Namen</translation>
    </message>
    <message>
        <source>The IP group of the address: the group of its longest matching network</source>
        <translation>Die IP-Gruppe der Adresse: die Gruppe ihres längsten passenden Netzes</translation>
    </message>
    <message>
        <source>Country of the address (ISO 3166 code) from the node&apos;s GeoIP database</source>
        <translation>Land der Adresse (ISO-3166-Code) aus der GeoIP-Datenbank des Knotens</translation>
    </message>
    <message>
        <source>NIC vendors of its MAC addresses, from the IEEE OUI lists</source>
        <translation>Hersteller der Netzwerkkarten ihrer MAC-Adressen, aus den IEEE-OUI-Listen</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>NIC vendors</source>
        <translation>NIC-Hersteller</translation>
    </message>
    <message>
        <source>TCP segment data sent and received (Wireshark&apos;s tcp.len)</source>
        <translation>Gesendete und empfangene TCP-Segmentdaten (tcp.len von Wireshark)</translation>
    </message>
    <message>
        <source>TCP segments sent or received that were retransmissions (ordinary, fast or spurious, as Wireshark classes them)</source>
        <translation>Gesendete oder empfangene TCP-Segmente, die Wiederholungen waren (normale, schnelle oder unnötige, wie Wireshark sie einordnet)</translation>
    </message>
    <message>
        <source>Segment data of those retransmissions</source>
        <translation>Segmentdaten dieser Wiederholungen</translation>
    </message>
    <message numerus="yes">
        <source>Bit rate over the last %n second(s), sampled by the console once a second since it connected</source>
        <translation>
            <numerusform>Bitrate der letzten Sekunde, seit der Verbindung einmal pro Sekunde von der Konsole erfasst</numerusform>
            <numerusform>Bitrate der letzten %n Sekunden, seit der Verbindung einmal pro Sekunde von der Konsole erfasst</numerusform>
        </translation>
    </message>
    <message>
        <source>TCP payload</source>
        <translation>TCP-Nutzdaten</translation>
    </message>
    <message>
        <source>TCP retransmissions</source>
        <translation>TCP-Wiederholungen</translation>
    </message>
    <message>
        <source>TCP retransmitted bytes</source>
        <translation>TCP-wiederholte Bytes</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>Verlauf</translation>
    </message>
</context>
<context>
    <name>netlens::app::models::PacketListModel</name>
    <message>
        <source>No.</source>
        <translation>Nr.</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Zeit</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Länge</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Zusammenfassung</translation>
    </message>
</context>
<context>
    <name>netlens::app::models::SearchSessionModel</name>
    <message>
        <source>The lower address of the session (sessions hold both directions)</source>
        <translation>Die niedrigere Adresse der Sitzung (Sitzungen umfassen beide Richtungen)</translation>
    </message>
    <message>
        <source>The higher address of the session</source>
        <translation>Die höhere Adresse der Sitzung</translation>
    </message>
    <message>
        <source>Frame bytes of the matching packets, both directions</source>
        <translation>Rahmen-Bytes der passenden Pakete, beide Richtungen</translation>
    </message>
    <message>
        <source>Matching packets, both directions</source>
        <translation>Passende Pakete, beide Richtungen</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Address A</source>
        <translation>Adresse A</translation>
    </message>
    <message>
        <source>Port A</source>
        <translation>Port A</translation>
    </message>
    <message>
        <source>Address B</source>
        <translation>Adresse B</translation>
    </message>
    <message>
        <source>Port B</source>
        <translation>Port B</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>First packet</source>
        <translation>Erstes Paket</translation>
    </message>
    <message>
        <source>Last packet</source>
        <translation>Letztes Paket</translation>
    </message>
    <message>
        <source>not IP</source>
        <translation>kein IP</translation>
    </message>
    <message>
        <source>The capture sources (interfaces, files) the node stored its packets from</source>
        <translation>Die Erfassungsquellen (Schnittstellen, Dateien), aus denen der Knoten die Pakete gespeichert hat</translation>
    </message>
    <message>
        <source>Sources</source>
        <translation>Quellen</translation>
    </message>
</context>
<context>
    <name>netlens::app::models::SummaryTableModel</name>
    <message>
        <source>%1 bytes</source>
        <translation>%1 Bytes</translation>
    </message>
</context>
<context>
    <name>netlens::app::models::rtp_stream_rows</name>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>SSRC</source>
        <translation>SSRC</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Destination</source>
        <translation>Ziel</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>Codec</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Lost</source>
        <translation>Verloren</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <source>Max jitter</source>
        <translation>Max. Jitter</translation>
    </message>
    <message>
        <source>Mean jitter</source>
        <translation>Mittlerer Jitter</translation>
    </message>
    <message>
        <source>MOS</source>
        <translation>MOS</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Beginn</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::AddNodeDialog</name>
    <message>
        <source>Add node</source>
        <translation>Knoten hinzufügen</translation>
    </message>
    <message>
        <source>Paste the node&apos;s connection string. On the node, &lt;code&gt;netlens-node connection-string --state DIR&lt;/code&gt; prints it.</source>
        <translation>Fügen Sie den Verbindungsstring des Knotens ein. Auf dem Knoten gibt ihn &lt;code&gt;netlens-node connection-string --state DIR&lt;/code&gt; aus.</translation>
    </message>
    <message>
        <source>netlens://HOST:PORT?key=…</source>
        <translation>netlens://HOST:PORT?key=…</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::CapturesView</name>
    <message numerus="yes">
        <source>%n download(s), %1 running</source>
        <translation>
            <numerusform>%n Download, %1 laufend</numerusform>
            <numerusform>%n Downloads, %1 laufend</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Stop</source>
        <translation>&amp;Anhalten</translation>
    </message>
    <message>
        <source>Stop the selected downloads; what arrived is kept</source>
        <translation>Die gewählten Downloads anhalten; was angekommen ist, bleibt</translation>
    </message>
    <message>
        <source>Stop &amp;all</source>
        <translation>&amp;Alle anhalten</translation>
    </message>
    <message>
        <source>&amp;Clear finished</source>
        <translation>&amp;Beendete entfernen</translation>
    </message>
    <message>
        <source>Remove ended downloads from the list; their files stay</source>
        <translation>Beendete Downloads aus der Liste entfernen; ihre Dateien bleiben</translation>
    </message>
    <message>
        <source>No download yet: use a Download PCAP… button of an address, group, connection, protocol or search, or Live capture… of an address or connection.</source>
        <translation>Noch kein Download: eine Schaltfläche PCAP herunterladen … einer Adresse, Gruppe, Verbindung, eines Protokolls oder einer Suche verwenden, oder Live-Mitschnitt … einer Adresse oder Verbindung.</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::ConnectionDetailDialog</name>
    <message>
        <source>Connection %1 %2:%3 → %4:%5</source>
        <translation>Verbindung %1 %2:%3 → %4:%5</translation>
    </message>
    <message>
        <source>Client → server</source>
        <translation>Client → Server</translation>
    </message>
    <message>
        <source>Server → client</source>
        <translation>Server → Client</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>Client</translation>
    </message>
    <message>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>VLAN</source>
        <translation>VLAN</translation>
    </message>
    <message>
        <source>Application</source>
        <translation>Anwendung</translation>
    </message>
    <message>
        <source>TCP state</source>
        <translation>TCP-Zustand</translation>
    </message>
    <message>
        <source>First packet</source>
        <translation>Erstes Paket</translation>
    </message>
    <message>
        <source>Last packet</source>
        <translation>Letztes Paket</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Verkehr</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Bits/s (last second)</source>
        <translation>Bit/s (letzte Sekunde)</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>Retransmissions</source>
        <translation>Retransmissionen</translation>
    </message>
    <message>
        <source>Fast retransmissions</source>
        <translation>Fast Retransmissions</translation>
    </message>
    <message>
        <source>Spurious retransmissions</source>
        <translation>Unnötige Retransmissionen</translation>
    </message>
    <message>
        <source>Retransmitted bytes</source>
        <translation>Wiederholt gesendete Bytes</translation>
    </message>
    <message>
        <source>Out of order</source>
        <translation>Außer der Reihe</translation>
    </message>
    <message>
        <source>Largest window announced</source>
        <translation>Größtes angekündigtes Fenster</translation>
    </message>
    <message>
        <source>Window scale</source>
        <translation>Window Scale</translation>
    </message>
    <message>
        <source>Handshake SYN → SYN/ACK</source>
        <translation>Handshake SYN → SYN/ACK</translation>
    </message>
    <message>
        <source>Handshake SYN/ACK → ACK</source>
        <translation>Handshake SYN/ACK → ACK</translation>
    </message>
    <message>
        <source>Response time (request → response)</source>
        <translation>Antwortzeit (Anfrage → Antwort)</translation>
    </message>
    <message>
        <source>mean %1, min %2, max %3 (%4)</source>
        <translation>Mittel %1, min. %2, max. %3 (%4)</translation>
    </message>
    <message>
        <source>TLS</source>
        <translation>TLS</translation>
    </message>
    <message>
        <source>Server name (SNI)</source>
        <translation>Servername (SNI)</translation>
    </message>
    <message>
        <source>ALPN</source>
        <translation>ALPN</translation>
    </message>
    <message>
        <source>Versions offered</source>
        <translation>Angebotene Versionen</translation>
    </message>
    <message>
        <source>Cipher suites offered</source>
        <translation>Angebotene Cipher-Suites</translation>
    </message>
    <message>
        <source>Negotiated version</source>
        <translation>Ausgehandelte Version</translation>
    </message>
    <message>
        <source>Negotiated cipher suite</source>
        <translation>Ausgehandelte Cipher-Suite</translation>
    </message>
    <message>
        <source>ClientHello → ServerHello</source>
        <translation>ClientHello → ServerHello</translation>
    </message>
    <message>
        <source>ClientHello → first server data</source>
        <translation>ClientHello → erste Serverdaten</translation>
    </message>
    <message>
        <source>HTTP</source>
        <translation>HTTP</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Last request</source>
        <translation>Letzte Anfrage</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>User-Agent</source>
        <translation>User-Agent</translation>
    </message>
    <message>
        <source>Last response</source>
        <translation>Letzte Antwort</translation>
    </message>
    <message>
        <source>Responses</source>
        <translation>Antworten</translation>
    </message>
    <message>
        <source>Response time</source>
        <translation>Antwortzeit</translation>
    </message>
    <message>
        <source>QoS</source>
        <translation>QoS</translation>
    </message>
    <message>
        <source>(changed)</source>
        <translation>(gewechselt)</translation>
    </message>
    <message>
        <source>DSCP</source>
        <translation>DSCP</translation>
    </message>
    <message>
        <source>VLAN PCP</source>
        <translation>VLAN-PCP</translation>
    </message>
    <message>
        <source>MPLS TC</source>
        <translation>MPLS-TC</translation>
    </message>
    <message>
        <source>MPLS labels</source>
        <translation>MPLS-Labels</translation>
    </message>
    <message>
        <source>Window limit (the scale&apos;s largest)</source>
        <translation>Fenstergrenze (das größte der Skalierung)</translation>
    </message>
    <message>
        <source>Window usage (largest of limit)</source>
        <translation>Fensternutzung (größtes von der Grenze)</translation>
    </message>
    <message>
        <source>Window full (sender limited)</source>
        <translation>Fenster voll (Sender gebremst)</translation>
    </message>
    <message>
        <source>Zero window announced</source>
        <translation>Nullfenster angekündigt</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>Download &amp;PCAP…</source>
        <translation>&amp;PCAP herunterladen …</translation>
    </message>
    <message>
        <source>Save the packets of both directions of this connection</source>
        <translation>Die Pakete beider Richtungen dieser Verbindung speichern</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::ConnectionsView</name>
    <message>
        <source>Connections of %1 could not be read: %2</source>
        <translation>Die Verbindungen von %1 konnten nicht gelesen werden: %2</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n connection(s) to %1</source>
        <translation>
            <numerusform>%n Verbindung nach %1 exportiert</numerusform>
            <numerusform>%n Verbindungen nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Address, application or state, or an expression such as (port == 443 and rtt &gt; 20)</source>
        <translation>Adresse, Anwendung oder Zustand, oder ein Ausdruck wie (port == 443 and rtt &gt; 20)</translation>
    </message>
    <message>
        <source>Plain text matches a part of either address, the application, the state or the node name.
Text starting with ( is an expression, for example:
  (proto == &quot;TCP&quot; and server_port == 443 and retrans &gt; 0)
  (ip in 10.0.0.0/8 and bytes &gt; 1M) or app contains &quot;dns&quot;
rtt, rtt_server and rtt_client are in milliseconds; port and ip match either side.
Columns: %1</source>
        <translation>Einfacher Text findet einen Teil einer der beiden Adressen, der Anwendung, des Zustands oder des Knotennamens.
Text, der mit ( beginnt, ist ein Ausdruck, zum Beispiel:
  (proto == &quot;TCP&quot; and server_port == 443 and retrans &gt; 0)
  (ip in 10.0.0.0/8 and bytes &gt; 1M) or app contains &quot;dns&quot;
rtt, rtt_server und rtt_client sind in Millisekunden; port und ip passen auf beide Seiten.
Spalten: %1</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the filtered and sorted connections as CSV</source>
        <translation>Die gefilterten und sortierten Verbindungen als CSV speichern</translation>
    </message>
    <message>
        <source>%1 of %2 connections</source>
        <translation>%1 von %2 Verbindungen</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Exportiere nach %1…</translation>
    </message>
    <message>
        <source>Export connections</source>
        <translation>Verbindungen exportieren</translation>
    </message>
    <message>
        <source>Double-click a connection for all its details</source>
        <translation>Doppelklick auf eine Verbindung zeigt alle Details</translation>
    </message>
    <message>
        <source>&amp;Details…</source>
        <translation>&amp;Details …</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::ConsoleKeyDialog</name>
    <message>
        <source>Console key</source>
        <translation>Konsolenschlüssel</translation>
    </message>
    <message>
        <source>A node lets this console in only after its administrator has authorised the console&apos;s public key. Run this on the node:</source>
        <translation>Ein Knoten lässt diese Konsole erst zu, wenn sein Administrator den öffentlichen Schlüssel der Konsole autorisiert hat. Führen Sie dies auf dem Knoten aus:</translation>
    </message>
    <message>
        <source>Public key:</source>
        <translation>Öffentlicher Schlüssel:</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Fingerprint:</source>
        <translation>Fingerabdruck:</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Rolle:</translation>
    </message>
    <message>
        <source>Node state folder:</source>
        <translation>Statusordner des Knotens:</translation>
    </message>
    <message>
        <source>The --state folder the node runs with</source>
        <translation>Der Ordner, den der Knoten mit --state verwendet</translation>
    </message>
    <message>
        <source>Command:</source>
        <translation>Befehl:</translation>
    </message>
    <message>
        <source>Copy co&amp;mmand</source>
        <translation>Be&amp;fehl kopieren</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>The key pair is stored in %1 (keep it private).</source>
        <translation>Das Schlüsselpaar liegt in %1 (halten Sie es geheim).</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::GlobalStatsPanel</name>
    <message>
        <source>Figure</source>
        <translation>Kennzahl</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Share</source>
        <translation>Anteil</translation>
    </message>
    <message>
        <source>Traffic</source>
        <translation>Verkehr</translation>
    </message>
    <message>
        <source>Network layer</source>
        <translation>Vermittlungsschicht</translation>
    </message>
    <message>
        <source>Transport layer</source>
        <translation>Transportschicht</translation>
    </message>
    <message>
        <source>Malformed packets</source>
        <translation>Fehlerhafte Pakete</translation>
    </message>
    <message>
        <source>All packets</source>
        <translation>Alle Pakete</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Rate</translation>
    </message>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message>
        <source>IP addresses</source>
        <translation>IP-Adressen</translation>
    </message>
    <message>
        <source>Summed over nodes: an address seen by two nodes counts twice</source>
        <translation>Über die Knoten summiert: eine Adresse, die zwei Knoten sehen, zählt doppelt</translation>
    </message>
    <message>
        <source>IPv4</source>
        <translation>IPv4</translation>
    </message>
    <message>
        <source>IPv6</source>
        <translation>IPv6</translation>
    </message>
    <message>
        <source>Not IP</source>
        <translation>Kein IP</translation>
    </message>
    <message>
        <source>IPv4 fragments</source>
        <translation>IPv4-Fragmente</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>UDP</source>
        <translation>UDP</translation>
    </message>
    <message>
        <source>ICMP and ICMPv6</source>
        <translation>ICMP und ICMPv6</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Andere</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 (finished)</source>
        <translation>%1 (beendet)</translation>
    </message>
    <message numerus="yes">
        <source>%n dropped</source>
        <translation>
            <numerusform>%n verworfen</numerusform>
            <numerusform>%n verworfen</numerusform>
        </translation>
    </message>
    <message>
        <source>%1, link type %2
Dropped by the capture: %3
Dropped by full queues: %4</source>
        <translation>%1, Link-Typ %2
Von der Aufzeichnung verworfen: %3
Wegen voller Warteschlangen verworfen: %4</translation>
    </message>
    <message>
        <source>Capture sources (%1)</source>
        <translation>Aufzeichnungsquellen (%1)</translation>
    </message>
    <message>
        <source>Tables cover</source>
        <translation>Tabellen umfassen</translation>
    </message>
    <message>
        <source>everything seen</source>
        <translation>alles Gesehene</translation>
    </message>
    <message>
        <source>activity after %1</source>
        <translation>Aktivität nach %1</translation>
    </message>
    <message>
        <source>Evicted by the budget or the idle timeout: %1 addresses, %2 connections</source>
        <translation>Vom Budget oder der Leerlaufzeit verdrängt: %1 Adressen, %2 Verbindungen</translation>
    </message>
    <message>
        <source>%1: from %2</source>
        <translation>%1: ab %2</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Oldest packet %1, newest %2
Filled %3
Dropped (disk too slow): %4</source>
        <translation>Ältestes Paket %1, neuestes %2
Gefüllt %3
Verworfen (Platte zu langsam): %4</translation>
    </message>
    <message>
        <source>Packet stores (%1)</source>
        <translation>Paketspeicher (%1)</translation>
    </message>
    <message>
        <source>SCTP</source>
        <translation>SCTP</translation>
    </message>
    <message>
        <source>GRE</source>
        <translation>GRE</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::GroupDetailView</name>
    <message numerus="yes">
        <source>%1 · %n IP address(es) · sent %2 · received %3 · %4</source>
        <translation>
            <numerusform>%1 · %n IP-Adresse · gesendet %2 · empfangen %3 · %4</numerusform>
            <numerusform>%1 · %n IP-Adressen · gesendet %2 · empfangen %3 · %4</numerusform>
        </translation>
    </message>
    <message>
        <source>no networks yet</source>
        <translation>noch keine Netze</translation>
    </message>
    <message>
        <source>no node has this group</source>
        <translation>kein Knoten hat diese Gruppe</translation>
    </message>
    <message>
        <source>IP group %1</source>
        <translation>IP-Gruppe %1</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <source>Back to the tables</source>
        <translation>Zurück zu den Tabellen</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>List of IPs</source>
        <translation>Liste der IPs</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Download &amp;PCAP…</source>
        <translation>&amp;PCAP herunterladen …</translation>
    </message>
    <message>
        <source>Save every packet to or from the group&apos;s networks from the nodes&apos; packet stores</source>
        <translation>Jedes Paket von oder zu den Netzen der Gruppe aus den Paketspeichern der Knoten speichern</translation>
    </message>
    <message>
        <source>Stop this group&apos;s live capture and finish its file</source>
        <translation>Den Live-Mitschnitt dieser Gruppe anhalten und seine Datei abschließen</translation>
    </message>
    <message>
        <source>Save the packets of the group&apos;s networks as the nodes capture them, until stopped (progress in the Captures tab)</source>
        <translation>Die Pakete der Netze der Gruppe speichern, während die Knoten sie mitschneiden, bis zum Anhalten (Fortschritt im Tab Mitschnitte)</translation>
    </message>
    <message>
        <source>IP groups</source>
        <translation>IP-Gruppen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Open the user guide on IP groups</source>
        <translation>Das Handbuch zu IP-Gruppen öffnen</translation>
    </message>
    <message>
        <source>group %1, %2 connections</source>
        <translation>Gruppe %1, %2-Verbindungen</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::GroupsDialog</name>
    <message>
        <source>IP groups</source>
        <translation>IP-Gruppen</translation>
    </message>
    <message>
        <source>One group per row: a name and its networks, separated by spaces or commas (10.0.0.0/8 2001:db8::/32; a bare address is one host). Groups may overlap; an address&apos;s group is the one with its longest matching network, the upper row on a tie. At most %1 groups.</source>
        <translation>Eine Gruppe je Zeile: ein Name und seine Netze, getrennt durch Leerzeichen oder Kommas (10.0.0.0/8 2001:db8::/32; eine einzelne Adresse ist ein Host). Gruppen dürfen sich überschneiden; die Gruppe einer Adresse ist die mit dem längsten passenden Netz, bei Gleichstand die obere Zeile. Höchstens %1 Gruppen.</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Networks</source>
        <translation>Netze</translation>
    </message>
    <message>
        <source>&amp;Add group</source>
        <translation>Gruppe &amp;hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Every group needs a name.</source>
        <translation>Jede Gruppe braucht einen Namen.</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::GroupsView</name>
    <message>
        <source>Select a group to list its IP addresses.</source>
        <translation>Wählen Sie eine Gruppe, um ihre IP-Adressen zu sehen.</translation>
    </message>
    <message>
        <source>IP addresses of %1</source>
        <translation>IP-Adressen von %1</translation>
    </message>
    <message numerus="yes">
        <source>Sending the groups to %n node(s)…</source>
        <translation>
            <numerusform>Sende die Gruppen an %n Knoten…</numerusform>
            <numerusform>Sende die Gruppen an %n Knoten…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Groups applied on %n node(s).</source>
        <translation>
            <numerusform>Gruppen auf %n Knoten übernommen.</numerusform>
            <numerusform>Gruppen auf %n Knoten übernommen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Refused: %1</source>
        <translation>Abgelehnt: %1</translation>
    </message>
    <message>
        <source>Changing groups needs the admin role on a node; this console is a viewer (authorise its key with --role admin on the node).</source>
        <translation>Gruppen ändern erfordert die Rolle admin auf einem Knoten; diese Konsole ist nur viewer (autorisieren Sie ihren Schlüssel auf dem Knoten mit --role admin).</translation>
    </message>
    <message>
        <source>&amp;Configure groups…</source>
        <translation>Gruppen &amp;konfigurieren…</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>Networks</source>
        <translation>Netze</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>IP addresses</source>
        <translation>IP-Adressen</translation>
    </message>
    <message>
        <source>Sent packets</source>
        <translation>Gesendete Pakete</translation>
    </message>
    <message>
        <source>Sent bytes</source>
        <translation>Gesendete Bytes</translation>
    </message>
    <message>
        <source>Received packets</source>
        <translation>Empfangene Pakete</translation>
    </message>
    <message>
        <source>Received bytes</source>
        <translation>Empfangene Bytes</translation>
    </message>
    <message>
        <source>TCP packets</source>
        <translation>TCP-Pakete</translation>
    </message>
    <message>
        <source>UDP packets</source>
        <translation>UDP-Pakete</translation>
    </message>
    <message>
        <source>Packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>Bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>First seen</source>
        <translation>Zuerst gesehen</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>IP address</source>
        <translation>IP-Adresse</translation>
    </message>
    <message>
        <source>&amp;Open</source>
        <translation>Ö&amp;ffnen</translation>
    </message>
    <message>
        <source>TCP payload</source>
        <translation>TCP-Nutzdaten</translation>
    </message>
    <message>
        <source>TCP retransmissions</source>
        <translation>TCP-Wiederholungen</translation>
    </message>
    <message>
        <source>TCP retransmitted bytes</source>
        <translation>TCP-wiederholte Bytes</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::HistoryChart</name>
    <message>
        <source>1 s</source>
        <translation>1 s</translation>
    </message>
    <message>
        <source>1 min</source>
        <translation>1 min</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 h</translation>
    </message>
    <message>
        <source>Part of this address&apos;s traffic came before its history began on a node.</source>
        <translation>Ein Teil des Verkehrs dieser Adresse lag auf einem Knoten vor dem Beginn ihrer Historie.</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>received</source>
        <translation>empfangen</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>TCP handshake RTT (SYN → SYN/ACK → ACK)</source>
        <translation>TCP-Handshake-RTT (SYN → SYN/ACK → ACK)</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>mean as client</source>
        <translation>Mittel als Client</translation>
    </message>
    <message>
        <source>min as client</source>
        <translation>Min. als Client</translation>
    </message>
    <message>
        <source>max as client</source>
        <translation>Max. als Client</translation>
    </message>
    <message>
        <source>mean as server</source>
        <translation>Mittel als Server</translation>
    </message>
    <message>
        <source>min as server</source>
        <translation>Min. als Server</translation>
    </message>
    <message>
        <source>max as server</source>
        <translation>Max. als Server</translation>
    </message>
    <message>
        <source>per bucket</source>
        <translation>pro Intervall</translation>
    </message>
    <message>
        <source>opened as client</source>
        <translation>als Client geöffnet</translation>
    </message>
    <message>
        <source>rejected as client</source>
        <translation>als Client abgewiesen</translation>
    </message>
    <message>
        <source>opened to it</source>
        <translation>zu ihr geöffnet</translation>
    </message>
    <message>
        <source>rejected by it</source>
        <translation>von ihr abgewiesen</translation>
    </message>
    <message>
        <source>TCP connections opened and rejected</source>
        <translation>Geöffnete und abgewiesene TCP-Verbindungen</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::IpDetailPages</name>
    <message>
        <source>none measured</source>
        <translation>keine gemessen</translation>
    </message>
    <message>
        <source>mean %1, σ %2, min %3, max %4 (%5)</source>
        <translation>Mittel %1, σ %2, min. %3, max. %4 (%5)</translation>
    </message>
    <message>
        <source>VLAN PCP</source>
        <translation>VLAN-PCP</translation>
    </message>
    <message>
        <source>MPLS TC</source>
        <translation>MPLS-TC</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>other</source>
        <translation>andere</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Bytes sent</source>
        <translation>Bytes gesendet</translation>
    </message>
    <message>
        <source>Bytes received</source>
        <translation>Bytes empfangen</translation>
    </message>
    <message>
        <source>Packets sent</source>
        <translation>Pakete gesendet</translation>
    </message>
    <message>
        <source>Packets received</source>
        <translation>Pakete empfangen</translation>
    </message>
    <message>
        <source>First activity</source>
        <translation>Erste Aktivität</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>Letzte Aktivität</translation>
    </message>
    <message>
        <source>Protocol</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>Gegenstelle</translation>
    </message>
    <message>
        <source>Country</source>
        <translation>Land</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Dienst</translation>
    </message>
    <message>
        <source>Clients</source>
        <translation>Clients</translation>
    </message>
    <message>
        <source>First connection</source>
        <translation>Erste Verbindung</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>Anfragen</translation>
    </message>
    <message>
        <source>Server name (SNI)</source>
        <translation>Servername (SNI)</translation>
    </message>
    <message>
        <source>As server</source>
        <translation>Als Server</translation>
    </message>
    <message>
        <source>As client</source>
        <translation>Als Client</translation>
    </message>
    <message>
        <source>Negotiated version</source>
        <translation>Ausgehandelte Version</translation>
    </message>
    <message>
        <source>Negotiated cipher suite</source>
        <translation>Ausgehandelte Cipher-Suite</translation>
    </message>
    <message>
        <source>DSCP</source>
        <translation>DSCP</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Marking changed</source>
        <translation>Markierung gewechselt</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Protocols</source>
        <translation>Protokolle</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Gegenstellen</translation>
    </message>
    <message>
        <source>Open TCP ports</source>
        <translation>Offene TCP-Ports</translation>
    </message>
    <message>
        <source>TCP statistics</source>
        <translation>TCP-Statistik</translation>
    </message>
    <message>
        <source>HTTP server</source>
        <translation>HTTP-Server</translation>
    </message>
    <message>
        <source>TLS server</source>
        <translation>TLS-Server</translation>
    </message>
    <message>
        <source>TLS infos</source>
        <translation>TLS-Infos</translation>
    </message>
    <message>
        <source>Layer 3 QoS</source>
        <translation>Layer-3-QoS</translation>
    </message>
    <message>
        <source>Layer 2 QoS</source>
        <translation>Layer-2-QoS</translation>
    </message>
    <message>
        <source>1xx responses</source>
        <translation>1xx-Antworten</translation>
    </message>
    <message>
        <source>2xx responses</source>
        <translation>2xx-Antworten</translation>
    </message>
    <message>
        <source>3xx responses</source>
        <translation>3xx-Antworten</translation>
    </message>
    <message>
        <source>4xx responses</source>
        <translation>4xx-Antworten</translation>
    </message>
    <message>
        <source>5xx responses</source>
        <translation>5xx-Antworten</translation>
    </message>
    <message>
        <source>Response time</source>
        <translation>Antwortzeit</translation>
    </message>
    <message>
        <source>Last host</source>
        <translation>Letzter Host</translation>
    </message>
    <message>
        <source>Last URL</source>
        <translation>Letzte URL</translation>
    </message>
    <message>
        <source>Handshakes as server</source>
        <translation>Handshakes als Server</translation>
    </message>
    <message>
        <source>ClientHello → ServerHello</source>
        <translation>ClientHello → ServerHello</translation>
    </message>
    <message>
        <source>ClientHello → first data</source>
        <translation>ClientHello → erste Daten</translation>
    </message>
    <message>
        <source>Handshakes as client</source>
        <translation>Handshakes als Client</translation>
    </message>
    <message>
        <source>Group</source>
        <translation>Gruppe</translation>
    </message>
    <message>
        <source>More than %1 connections: download them from the Connections tab</source>
        <translation>Mehr als %1 Verbindungen: im Reiter Verbindungen einzeln herunterladen</translation>
    </message>
    <message>
        <source>Handshake RTT (SYN → SYN/ACK → ACK, as tshark&apos;s initial RTT) of the connections the nodes hold.
As client: %1
As server: %2
The charts show what the nodes keep per address over time; the last one counts the connections held by their start, in buckets of %3.</source>
        <translation>Handshake-RTT (SYN → SYN/ACK → ACK, wie tsharks initiale RTT) der Verbindungen, die die Knoten halten.
Als Client: %1
Als Server: %2
Die Diagramme zeigen, was die Knoten je Adresse über die Zeit aufbewahren; das letzte zählt die gehaltenen Verbindungen nach ihrem Beginn, in Intervallen von %3.</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::IpDetailView</name>
    <message>
        <source>bit/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>Gbit/s</source>
        <translation>GBit/s</translation>
    </message>
    <message>
        <source>Mbit/s</source>
        <translation>MBit/s</translation>
    </message>
    <message>
        <source>kbit/s</source>
        <translation>kBit/s</translation>
    </message>
    <message>
        <source>not seen by any connected node</source>
        <translation>von keinem verbundenen Knoten gesehen</translation>
    </message>
    <message>
        <source>%1 · sent %2 packets (%3) · received %4 packets (%5) · %6</source>
        <translation>%1 · %2 Pakete gesendet (%3) · %4 Pakete empfangen (%5) · %6</translation>
    </message>
    <message>
        <source>no node</source>
        <translation>kein Knoten</translation>
    </message>
    <message>
        <source>&amp;Back</source>
        <translation>&amp;Zurück</translation>
    </message>
    <message>
        <source>Back to the tables</source>
        <translation>Zurück zu den Tabellen</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Open the user guide on this page</source>
        <translation>Die Anleitung zu dieser Seite öffnen</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>Übersicht</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Nodes:</source>
        <translation>Knoten:</translation>
    </message>
    <message>
        <source>Sent packets:</source>
        <translation>Gesendete Pakete:</translation>
    </message>
    <message>
        <source>Sent bytes:</source>
        <translation>Gesendete Bytes:</translation>
    </message>
    <message>
        <source>Received packets:</source>
        <translation>Empfangene Pakete:</translation>
    </message>
    <message>
        <source>Received bytes:</source>
        <translation>Empfangene Bytes:</translation>
    </message>
    <message>
        <source>TCP packets:</source>
        <translation>TCP-Pakete:</translation>
    </message>
    <message>
        <source>UDP packets:</source>
        <translation>UDP-Pakete:</translation>
    </message>
    <message>
        <source>Packets/s:</source>
        <translation>Pakete/s:</translation>
    </message>
    <message>
        <source>Bits/s:</source>
        <translation>Bit/s:</translation>
    </message>
    <message>
        <source>MAC addresses:</source>
        <translation>MAC-Adressen:</translation>
    </message>
    <message>
        <source>VLANs:</source>
        <translation>VLANs:</translation>
    </message>
    <message>
        <source>First seen:</source>
        <translation>Zuerst gesehen:</translation>
    </message>
    <message>
        <source>First recent:</source>
        <translation>Zuletzt aktiv seit:</translation>
    </message>
    <message>
        <source>Last seen:</source>
        <translation>Zuletzt gesehen:</translation>
    </message>
    <message>
        <source>Packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>Bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
    <message numerus="yes">
        <source>The chart fills with each second of updates while this page is open (up to the last %n second(s)).</source>
        <translation>
            <numerusform>Das Diagramm füllt sich mit jeder Sekunde an Aktualisierungen, solange diese Seite offen ist (bis zur letzten %n Sekunde).</numerusform>
            <numerusform>Das Diagramm füllt sich mit jeder Sekunde an Aktualisierungen, solange diese Seite offen ist (bis zu den letzten %n Sekunden).</numerusform>
        </translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>host %1, %2</source>
        <translation>Host %1, %2</translation>
    </message>
    <message>
        <source>Packets of %1</source>
        <translation>Pakete von %1</translation>
    </message>
    <message>
        <source>Packets of %1 with MAC %2</source>
        <translation>Pakete von %1 mit MAC %2</translation>
    </message>
    <message>
        <source>Download &amp;PCAP…</source>
        <translation>&amp;PCAP herunterladen …</translation>
    </message>
    <message>
        <source>Save this address&apos;s packets from the nodes&apos; packet stores (the arrow: with one of its MAC addresses)</source>
        <translation>Die Pakete dieser Adresse aus den Paketspeichern der Knoten speichern (der Pfeil: mit einer ihrer MAC-Adressen)</translation>
    </message>
    <message>
        <source>Stop this address&apos;s live capture and finish its file</source>
        <translation>Den Live-Mitschnitt dieser Adresse anhalten und seine Datei abschließen</translation>
    </message>
    <message>
        <source>Save this address&apos;s packets as the nodes capture them, until stopped (progress in the Captures tab)</source>
        <translation>Die Pakete dieser Adresse speichern, während die Knoten sie mitschneiden, bis zum Anhalten (Fortschritt im Tab Mitschnitte)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Names:</source>
        <translation>Namen:</translation>
    </message>
    <message>
        <source>IP group:</source>
        <translation>IP-Gruppe:</translation>
    </message>
    <message>
        <source>Country:</source>
        <translation>Land:</translation>
    </message>
    <message>
        <source>Last new connection:</source>
        <translation>Letzte neue Verbindung:</translation>
    </message>
    <message>
        <source>Top protocols by bytes</source>
        <translation>Häufigste Protokolle nach Bytes</translation>
    </message>
    <message>
        <source>Connections and IP detail</source>
        <translation>Connections and IP detail</translation>
    </message>
    <message>
        <source>host %1, %2 connections</source>
        <translation>Host %1, %2-Verbindungen</translation>
    </message>
    <message>
        <source>TCP payload:</source>
        <translation>TCP-Nutzdaten:</translation>
    </message>
    <message>
        <source>TCP retransmissions:</source>
        <translation>TCP-Wiederholungen:</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::IpSelectionHistory</name>
    <message>
        <source>History of the traffic between %1 and %2 (sent and received by %1)</source>
        <translation>Verlauf des Verkehrs zwischen %1 und %2 (von %1 gesendet und empfangen)</translation>
    </message>
    <message>
        <source>DSCP %1 (%2)</source>
        <translation>DSCP %1 (%2)</translation>
    </message>
    <message>
        <source>VLAN PCP %1</source>
        <translation>VLAN-PCP %1</translation>
    </message>
    <message>
        <source>MPLS TC %1</source>
        <translation>MPLS-TC %1</translation>
    </message>
    <message>
        <source>History of %1&apos;s traffic marked %2</source>
        <translation>Verlauf des mit %2 markierten Verkehrs von %1</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::IpVoipPages</name>
    <message>
        <source>Requests sent: %1, responses sent: %2; requests received: %3, responses received: %4.</source>
        <translation>Gesendete Anfragen: %1, gesendete Antworten: %2; empfangene Anfragen: %3, empfangene Antworten: %4.</translation>
    </message>
    <message numerus="yes">
        <source>%n RTP stream(s) from or to this address</source>
        <translation>
            <numerusform>%n RTP-Stream von oder zu dieser Adresse</numerusform>
            <numerusform>%n RTP-Streams von oder zu dieser Adresse</numerusform>
        </translation>
    </message>
    <message>
        <source>SIP statistics</source>
        <translation>SIP-Statistik</translation>
    </message>
    <message>
        <source>RTP statistics</source>
        <translation>RTP-Statistik</translation>
    </message>
    <message>
        <source>Method or response</source>
        <translation>Methode oder Antwort</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Empfangen</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::MainWindow</name>
    <message numerus="yes">
        <source>Exported %n row(s) to %1</source>
        <translation>
            <numerusform>%n Zeile nach %1 exportiert</numerusform>
            <numerusform>%n Zeilen nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>About Netlens</source>
        <translation>Über Netlens</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Netlens %1&lt;/h3&gt;&lt;p&gt;The console of a distributed network traffic analyser: it merges the figures of many capture nodes into one live picture.&lt;/p&gt;&lt;p&gt;Licensed under the MIT licence.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Netlens %1&lt;/h3&gt;&lt;p&gt;Die Konsole eines verteilten Netzwerkverkehrs-Analysators: Sie führt die Kennzahlen vieler Aufzeichnungsknoten zu einem Live-Bild zusammen.&lt;/p&gt;&lt;p&gt;Lizenziert unter der MIT-Lizenz.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Netlens</source>
        <translation>Netlens</translation>
    </message>
    <message>
        <source>&amp;Sent/received separately</source>
        <translation>Gesendet/empfangen &amp;getrennt</translation>
    </message>
    <message>
        <source>Show sent and received counters instead of totals</source>
        <translation>Gesendete und empfangene Zähler statt Summen zeigen</translation>
    </message>
    <message>
        <source>Split by &amp;node</source>
        <translation>Nach &amp;Knoten aufteilen</translation>
    </message>
    <message>
        <source>One row per address and node instead of one per address</source>
        <translation>Eine Zeile je Adresse und Knoten statt einer je Adresse</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the filtered and sorted table as CSV</source>
        <translation>Die gefilterte und sortierte Tabelle als CSV speichern</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Add node…</source>
        <translation>Knoten &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Console &amp;key…</source>
        <translation>Konsolen&amp;schlüssel…</translation>
    </message>
    <message>
        <source>&amp;About Netlens</source>
        <translation>&amp;Über Netlens</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Nodes</source>
        <translation>&amp;Knoten</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Nodes</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Global statistics</source>
        <translation>Globale Statistik</translation>
    </message>
    <message>
        <source>%1 of %2 addresses</source>
        <translation>%1 von %2 Adressen</translation>
    </message>
    <message>
        <source>No node configured</source>
        <translation>Kein Knoten eingerichtet</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n node(s) connected</source>
        <translation>
            <numerusform>%1 von %n Knoten verbunden</numerusform>
            <numerusform>%1 von %n Knoten verbunden</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Exportiere nach %1…</translation>
    </message>
    <message>
        <source>Export IP table</source>
        <translation>IP-Tabelle exportieren</translation>
    </message>
    <message>
        <source>Standalone mode could not start: %1</source>
        <translation>Der Einzelplatzmodus konnte nicht starten: %1</translation>
    </message>
    <message>
        <source>IP address, MAC address or node name, or an expression such as (bytes &gt; 10M)</source>
        <translation>IP-Adresse, MAC-Adresse oder Knotenname, oder ein Ausdruck wie (bytes &gt; 10M)</translation>
    </message>
    <message>
        <source>Plain text matches a part of the IP address, a MAC address or a node name.
Text starting with ( is an expression, for example:
  (bytes &gt; 10M and ip in 10.0.0.0/8) or node == &quot;edge-1&quot;
Operators: and, or, not, == != &lt; &lt;= &gt; &gt;=, contains, matches (regular expression), in (network).
Units: k M G T (1000-based), Ki Mi Gi Ti (1024-based).
Columns: %1</source>
        <translation>Einfacher Text findet einen Teil der IP-Adresse, eine MAC-Adresse oder einen Knotennamen.
Text, der mit ( beginnt, ist ein Ausdruck, zum Beispiel:
  (bytes &gt; 10M and ip in 10.0.0.0/8) or node == &quot;edge-1&quot;
Operatoren: and, or, not, == != &lt; &lt;= &gt; &gt;=, contains, matches (regulärer Ausdruck), in (Netz).
Einheiten: k M G T (Basis 1000), Ki Mi Gi Ti (Basis 1024).
Spalten: %1</translation>
    </message>
    <message>
        <source>IP addresses</source>
        <translation>IP-Adressen</translation>
    </message>
    <message>
        <source>Connections</source>
        <translation>Verbindungen</translation>
    </message>
    <message>
        <source>Double-click an address for its detail page</source>
        <translation>Doppelklick auf eine Adresse öffnet ihre Detailseite</translation>
    </message>
    <message>
        <source>IP groups</source>
        <translation>IP-Gruppen</translation>
    </message>
    <message>
        <source>Network layer</source>
        <translation>Vermittlungsschicht</translation>
    </message>
    <message>
        <source>packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>IPv4</source>
        <translation>IPv4</translation>
    </message>
    <message>
        <source>IPv6</source>
        <translation>IPv6</translation>
    </message>
    <message>
        <source>Not IP</source>
        <translation>Kein IP</translation>
    </message>
    <message>
        <source>Transport layer</source>
        <translation>Transportschicht</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>UDP</source>
        <translation>UDP</translation>
    </message>
    <message>
        <source>ICMP</source>
        <translation>ICMP</translation>
    </message>
    <message>
        <source>SCTP</source>
        <translation>SCTP</translation>
    </message>
    <message>
        <source>GRE</source>
        <translation>GRE</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Andere</translation>
    </message>
    <message>
        <source>Throughput</source>
        <translation>Durchsatz</translation>
    </message>
    <message>
        <source>bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>IPv4 fragments</source>
        <translation>IPv4-Fragmente</translation>
    </message>
    <message>
        <source>fragments/s</source>
        <translation>Fragmente/s</translation>
    </message>
    <message>
        <source>Fragments</source>
        <translation>Fragmente</translation>
    </message>
    <message>
        <source>Global history</source>
        <translation>Globaler Verlauf</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>Suche</translation>
    </message>
    <message>
        <source>VoIP</source>
        <translation>VoIP</translation>
    </message>
    <message>
        <source>Captures</source>
        <translation>Mitschnitte</translation>
    </message>
    <message>
        <source>%1 (with the other counter mode)</source>
        <translation>%1 (in der anderen Zähleransicht)</translation>
    </message>
    <message>
        <source>Right-click to choose the columns</source>
        <translation>Rechtsklick, um die Spalten auszuwählen</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::NewConnectionsChart</name>
    <message>
        <source>New TCP connections</source>
        <translation>Neue TCP-Verbindungen</translation>
    </message>
    <message>
        <source>Valid as client</source>
        <translation>Gültig als Client</translation>
    </message>
    <message>
        <source>Invalid as client</source>
        <translation>Ungültig als Client</translation>
    </message>
    <message>
        <source>Valid as server</source>
        <translation>Gültig als Server</translation>
    </message>
    <message>
        <source>Invalid as server</source>
        <translation>Ungültig als Server</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::NodesPanel</name>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Packets/s</source>
        <translation>Pakete/s</translation>
    </message>
    <message>
        <source>Bits/s</source>
        <translation>Bit/s</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Key fingerprint</source>
        <translation>Schlüssel-Fingerabdruck</translation>
    </message>
    <message>
        <source>&amp;Add node…</source>
        <translation>Knoten &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>Paste a node&apos;s connection string (netlens://HOST:PORT?key=…)</source>
        <translation>Den Verbindungsstring eines Knotens einfügen (netlens://HOST:PORT?key=…)</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Console &amp;key…</source>
        <translation>Konsolen&amp;schlüssel…</translation>
    </message>
    <message>
        <source>The key a node must authorise before it lets this console in</source>
        <translation>Der Schlüssel, den ein Knoten autorisieren muss, bevor er diese Konsole zulässt</translation>
    </message>
    <message>
        <source>%1 (standalone)</source>
        <translation>%1 (Einzelplatz)</translation>
    </message>
    <message>
        <source>Server key %1</source>
        <translation>Serverschlüssel %1</translation>
    </message>
    <message>
        <source>Remove node</source>
        <translation>Knoten entfernen</translation>
    </message>
    <message>
        <source>Remove the node %1 (%2) from the console? Its figures disappear from the tables.</source>
        <translation>Den Knoten %1 (%2) aus der Konsole entfernen? Seine Kennzahlen verschwinden aus den Tabellen.</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::RtpStreamCharts</name>
    <message>
        <source>Select a stream to see its charts</source>
        <translation>Einen Stream wählen, um seine Diagramme zu sehen</translation>
    </message>
    <message>
        <source>Stream %1</source>
        <translation>Stream %1</translation>
    </message>
    <message>
        <source>Jitter (max per second)</source>
        <translation>Jitter (Maximum je Sekunde)</translation>
    </message>
    <message>
        <source>Packets lost per second</source>
        <translation>Verlorene Pakete je Sekunde</translation>
    </message>
    <message>
        <source>MOS per second</source>
        <translation>MOS je Sekunde</translation>
    </message>
    <message>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <source>packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>MOS</source>
        <translation>MOS</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>Sekunden</translation>
    </message>
    <message>
        <source>Audio level (peak per second)</source>
        <translation>Audiopegel (Spitze pro Sekunde)</translation>
    </message>
    <message>
        <source>dBFS</source>
        <translation>dBFS</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::SaveAudioDialog</name>
    <message>
        <source>Save audio</source>
        <translation>Audio speichern</translation>
    </message>
    <message>
        <source>Save the audio of %1 from the node&apos;s packet store. G.711 A-law and µ-law, G.722 and G.729 are decoded; lost packets are silence.</source>
        <translation>Das Audio von %1 aus dem Paketspeicher des Knotens speichern. G.711 A-law und µ-law, G.722 und G.729 werden dekodiert; verlorene Pakete sind Stille.</translation>
    </message>
    <message>
        <source>MP3 (compact)</source>
        <translation>MP3 (kompakt)</translation>
    </message>
    <message>
        <source>WAV (16-bit PCM)</source>
        <translation>WAV (16-Bit-PCM)</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>Format:</translation>
    </message>
    <message>
        <source>One stereo file: caller → callee left, callee → caller right</source>
        <translation>Eine Stereodatei: Anrufer → Angerufener links, Angerufener → Anrufer rechts</translation>
    </message>
    <message>
        <source>One file per RTP stream</source>
        <translation>Eine Datei pro RTP-Stream</translation>
    </message>
    <message>
        <source>Channels:</source>
        <translation>Kanäle:</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::SearchView</name>
    <message>
        <source>either</source>
        <translation>beide</translation>
    </message>
    <message>
        <source>source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>destination</source>
        <translation>Ziel</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s), %1 packet(s) from %2 node(s).</source>
        <translation>
            <numerusform>%n Sitzung, %1 Paket(e) von %2 Knoten.</numerusform>
            <numerusform>%n Sitzungen, %1 Paket(e) von %2 Knoten.</numerusform>
        </translation>
    </message>
    <message>
        <source>The packets could not be read: %1</source>
        <translation>Die Pakete konnten nicht gelesen werden: %1</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n session(s) to %1</source>
        <translation>
            <numerusform>%n Sitzung nach %1 exportiert</numerusform>
            <numerusform>%n Sitzungen nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>saved the first %n packet(s) to %1 (limit reached)</source>
        <translation>
            <numerusform>das erste Paket in %1 gespeichert (Limit erreicht)</numerusform>
            <numerusform>die ersten %n Pakete in %1 gespeichert (Limit erreicht)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>saved %n packet(s) to %1</source>
        <translation>
            <numerusform>%n Paket in %1 gespeichert</numerusform>
            <numerusform>%n Pakete in %1 gespeichert</numerusform>
        </translation>
    </message>
    <message>
        <source>Search the nodes&apos; packet stores</source>
        <translation>Paketspeicher der Knoten durchsuchen</translation>
    </message>
    <message>
        <source>&amp;Addresses:</source>
        <translation>&amp;Adressen:</translation>
    </message>
    <message>
        <source>IPv4 or IPv6, several separated by commas</source>
        <translation>IPv4 oder IPv6, mehrere durch Kommas getrennt</translation>
    </message>
    <message>
        <source>&amp;MAC:</source>
        <translation>&amp;MAC:</translation>
    </message>
    <message>
        <source>aa:bb:cc:dd:ee:ff</source>
        <translation>aa:bb:cc:dd:ee:ff</translation>
    </message>
    <message>
        <source>&amp;Ports:</source>
        <translation>&amp;Ports:</translation>
    </message>
    <message>
        <source>e.g. 53, 443</source>
        <translation>z. B. 53, 443</translation>
    </message>
    <message>
        <source>P&amp;rotocol:</source>
        <translation>P&amp;rotokoll:</translation>
    </message>
    <message>
        <source>tcp, udp, icmp, icmp6, sctp, gre, esp or a number</source>
        <translation>tcp, udp, icmp, icmp6, sctp, gre, esp oder eine Zahl</translation>
    </message>
    <message>
        <source>&amp;VLAN:</source>
        <translation>&amp;VLAN:</translation>
    </message>
    <message>
        <source>&amp;BPF:</source>
        <translation>&amp;BPF:</translation>
    </message>
    <message>
        <source>a capture filter, e.g. tcp[tcpflags] &amp; tcp-syn != 0</source>
        <translation>ein Capture-Filter, z. B. tcp[tcpflags] &amp; tcp-syn != 0</translation>
    </message>
    <message>
        <source>Compiled by each node for each stored segment&apos;s link type; plain BPF does not look into VLAN tags or tunnels unless told to (vlan and ...).</source>
        <translation>Jeder Knoten übersetzt ihn für den Link-Typ jedes gespeicherten Segments; einfaches BPF sieht nicht in VLAN-Tags oder Tunnel, außer man sagt es ihm (vlan and ...).</translation>
    </message>
    <message>
        <source>Pa&amp;yload:</source>
        <translation>N&amp;utzdaten:</translation>
    </message>
    <message>
        <source>bytes in one packet&apos;s payload</source>
        <translation>Bytes in den Nutzdaten eines Pakets</translation>
    </message>
    <message>
        <source>text</source>
        <translation>Text</translation>
    </message>
    <message>
        <source>hex</source>
        <translation>Hex</translation>
    </message>
    <message>
        <source>&amp;Time from</source>
        <translation>&amp;Zeit von</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Last 5 min</source>
        <translation>Letzte 5 Min.</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>Letzte Stunde</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>Letzte 24 Std.</translation>
    </message>
    <message>
        <source>All</source>
        <translation>Alle</translation>
    </message>
    <message>
        <source>Relative to the newest packet the checked nodes hold (or now when none says)</source>
        <translation>Bezogen auf das neueste Paket der ausgewählten Knoten (oder jetzt, wenn keiner es meldet)</translation>
    </message>
    <message>
        <source>&amp;Limit:</source>
        <translation>&amp;Limit:</translation>
    </message>
    <message>
        <source>node maximum</source>
        <translation>Maximum des Knotens</translation>
    </message>
    <message>
        <source> packets</source>
        <translation> Pakete</translation>
    </message>
    <message>
        <source>At most this many packets per node (%1 at most)</source>
        <translation>Höchstens so viele Pakete je Knoten (maximal %1)</translation>
    </message>
    <message>
        <source>&amp;Search</source>
        <translation>&amp;Suchen</translation>
    </message>
    <message>
        <source>S&amp;top</source>
        <translation>S&amp;topp</translation>
    </message>
    <message>
        <source>Save as &amp;PCAP…</source>
        <translation>Als &amp;PCAP speichern…</translation>
    </message>
    <message>
        <source>Nodes to search:</source>
        <translation>Zu durchsuchende Knoten:</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren…</translation>
    </message>
    <message>
        <source>Save the filtered and sorted sessions as CSV</source>
        <translation>Die gefilterten und sortierten Sitzungen als CSV speichern</translation>
    </message>
    <message>
        <source>Address, protocol or node, or an expression such as (b_port == 443 and bytes &gt; 1M)</source>
        <translation>Adresse, Protokoll oder Knoten, oder ein Ausdruck wie (b_port == 443 and bytes &gt; 1M)</translation>
    </message>
    <message>
        <source>Plain text matches a part of either address, the protocol or the node name.
Text starting with ( is an expression. Columns: %1</source>
        <translation>Einfacher Text passt auf einen Teil einer der Adressen, des Protokolls oder des Knotennamens.
Text, der mit ( beginnt, ist ein Ausdruck. Spalten: %1</translation>
    </message>
    <message>
        <source>Field</source>
        <translation>Feld</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <source>Select a session for its packets.</source>
        <translation>Eine Sitzung auswählen, um ihre Pakete zu sehen.</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <source>This node keeps no packets (started without --store).</source>
        <translation>Dieser Knoten speichert keine Pakete (ohne --store gestartet).</translation>
    </message>
    <message>
        <source>Check at least one node to search.</source>
        <translation>Mindestens einen Knoten zum Durchsuchen auswählen.</translation>
    </message>
    <message>
        <source>searching…</source>
        <translation>suche…</translation>
    </message>
    <message numerus="yes">
        <source>Searching %n node(s)…</source>
        <translation>
            <numerusform>Durchsuche %n Knoten…</numerusform>
            <numerusform>Durchsuche %n Knoten…</numerusform>
        </translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>abgebrochen</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message numerus="yes">
        <source>%n session(s)</source>
        <translation>
            <numerusform>%n Sitzung</numerusform>
            <numerusform>%n Sitzungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s)</source>
        <translation>
            <numerusform>%n Paket</numerusform>
            <numerusform>%n Pakete</numerusform>
        </translation>
    </message>
    <message>
        <source>limit reached</source>
        <translation>Limit erreicht</translation>
    </message>
    <message>
        <source>Reading the session&apos;s packets from %1…</source>
        <translation>Lese die Pakete der Sitzung von %1…</translation>
    </message>
    <message numerus="yes">
        <source>%n packet(s) of the session</source>
        <translation>
            <numerusform>%n Paket der Sitzung</numerusform>
            <numerusform>%n Pakete der Sitzung</numerusform>
        </translation>
    </message>
    <message>
        <source>(the search counted %1)</source>
        <translation>(die Suche zählte %1)</translation>
    </message>
    <message>
        <source>the node&apos;s limit was reached</source>
        <translation>das Limit des Knotens wurde erreicht</translation>
    </message>
    <message>
        <source>%1 of %2 sessions</source>
        <translation>%1 von %2 Sitzungen</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Exportiere nach %1…</translation>
    </message>
    <message>
        <source>Export sessions</source>
        <translation>Sitzungen exportieren</translation>
    </message>
    <message>
        <source>saving…</source>
        <translation>speichere…</translation>
    </message>
    <message>
        <source>Save as PCAP</source>
        <translation>Als PCAP speichern</translation>
    </message>
    <message>
        <source>Save the matching packets of every checked node in one file, in time order</source>
        <translation>Die passenden Pakete aller markierten Knoten in einer Datei speichern, zeitlich geordnet</translation>
    </message>
    <message>
        <source>Download &amp;PCAP of this session…</source>
        <translation>&amp;PCAP dieser Sitzung herunterladen …</translation>
    </message>
    <message>
        <source>search: everything</source>
        <translation>Suche: alles</translation>
    </message>
    <message>
        <source>search: %1</source>
        <translation>Suche: %1</translation>
    </message>
    <message>
        <source>Saving: %1 packet(s), %2</source>
        <translation>Speichern: %1 Paket(e), %2</translation>
    </message>
    <message numerus="yes">
        <source>Saving: asking %n node(s)…</source>
        <translation>
            <numerusform>Speichern: frage %n Knoten …</numerusform>
            <numerusform>Speichern: frage %n Knoten …</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Saved %n packet(s) to %1</source>
        <translation>
            <numerusform>%n Paket nach %1 gespeichert</numerusform>
            <numerusform>%n Pakete nach %1 gespeichert</numerusform>
        </translation>
    </message>
    <message>
        <source>Saving %1</source>
        <translation>Speichere %1</translation>
    </message>
    <message>
        <source>Saving failed: %1</source>
        <translation>Speichern fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Live capture: %1</source>
        <translation>Live-Mitschnitt: %1</translation>
    </message>
    <message>
        <source>regex</source>
        <translation>Regex</translation>
    </message>
    <message>
        <source>regex: a POSIX extended regular expression (as grep -E), byte by byte; each node checks it and explains a mistake.</source>
        <translation>Regex: ein erweiterter regulärer POSIX-Ausdruck (wie grep -E), Byte für Byte; jeder Knoten prüft ihn und erklärt Fehler.</translation>
    </message>
    <message>
        <source>per session</source>
        <translation>pro Sitzung</translation>
    </message>
    <message>
        <source>Match across the packets of each TCP session (in sequence order) and show every packet of the sessions that hold it.</source>
        <translation>Über die Pakete jeder TCP-Sitzung hinweg suchen (in Sequenzreihenfolge) und alle Pakete der Sitzungen zeigen, die ihn enthalten.</translation>
    </message>
    <message>
        <source>Check at least one node to capture from.</source>
        <translation>Mindestens einen Knoten zum Mitschneiden ankreuzen.</translation>
    </message>
    <message>
        <source>A live capture cannot match payload: clear Payload, or use Search to find stored packets by payload.</source>
        <translation>Ein Live-Mitschnitt kann keine Nutzdaten prüfen: Nutzdaten leeren oder mit Suchen gespeicherte Pakete nach Nutzdaten finden.</translation>
    </message>
    <message>
        <source>live: everything</source>
        <translation>live: alles</translation>
    </message>
    <message>
        <source>live: %1</source>
        <translation>live: %1</translation>
    </message>
    <message>
        <source>Stop the live capture of these criteria and finish its file</source>
        <translation>Den Live-Mitschnitt dieser Kriterien anhalten und seine Datei abschließen</translation>
    </message>
    <message>
        <source>Save the packets matching these criteria (without the time range) as the checked nodes capture them, until stopped (progress in the Captures tab)</source>
        <translation>Die Pakete, die diese Kriterien erfüllen (ohne Zeitraum), speichern, während die angekreuzten Knoten sie mitschneiden, bis zum Anhalten (Fortschritt im Tab Mitschnitte)</translation>
    </message>
    <message>
        <source>Stop this session&apos;s live capture and finish its file</source>
        <translation>Den Live-Mitschnitt dieser Sitzung anhalten und seine Datei abschließen</translation>
    </message>
    <message>
        <source>Save this session&apos;s packets (both directions of its addresses, protocol and ports) as its node captures them, until stopped. The search&apos;s other criteria are not applied: a live capture cannot match payload.</source>
        <translation>Die Pakete dieser Sitzung (beide Richtungen ihrer Adressen, ihres Protokolls und ihrer Ports) speichern, während ihr Knoten sie mitschneidet, bis zum Anhalten. Die übrigen Kriterien der Suche gelten nicht: ein Live-Mitschnitt kann keine Nutzdaten vergleichen.</translation>
    </message>
    <message>
        <source>Live capture of %1 started (its addresses, protocol and ports only: a live capture does not match payload; progress in the Captures tab)</source>
        <translation>Live-Mitschnitt von %1 gestartet (nur ihre Adressen, ihr Protokoll und ihre Ports: ein Live-Mitschnitt vergleicht keine Nutzdaten; Fortschritt im Tab Mitschnitte)</translation>
    </message>
    <message>
        <source>%1 on %2</source>
        <translation>%1 auf %2</translation>
    </message>
    <message numerus="yes">
        <source>searching… %n packet(s)</source>
        <translation>
            <numerusform>suche… %n Paket</numerusform>
            <numerusform>suche… %n Pakete</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message numerus="yes">
        <source>finding sessions… %n packet(s) read</source>
        <translation>
            <numerusform>Sitzungen werden gesucht… %n Paket gelesen</numerusform>
            <numerusform>Sitzungen werden gesucht… %n Pakete gelesen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>stopped after %n session(s)</source>
        <translation>
            <numerusform>angehalten nach %n Sitzung</numerusform>
            <numerusform>angehalten nach %n Sitzungen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Stopped: %n session(s), %1 packet(s) so far.</source>
        <translation>
            <numerusform>Angehalten: bis dahin %n Sitzung, %1 Paket(e).</numerusform>
            <numerusform>Angehalten: bis dahin %n Sitzungen, %1 Paket(e).</numerusform>
        </translation>
    </message>
    <message>
        <source>A live capture cannot match HTTP fields: clear the HTTP criteria, or use Search to find stored sessions by them.</source>
        <translation>Ein Live-Mitschnitt kann keine HTTP-Felder prüfen: Leeren Sie die HTTP-Kriterien oder finden Sie gespeicherte Sitzungen damit über Suchen.</translation>
    </message>
    <message>
        <source>HTTP host:</source>
        <translation>HTTP-Host:</translation>
    </message>
    <message>
        <source>Host header without port, e.g. www.example.com</source>
        <translation>Host-Header ohne Port, z. B. www.example.com</translation>
    </message>
    <message>
        <source>HTTP URL:</source>
        <translation>HTTP-URL:</translation>
    </message>
    <message>
        <source>part of the request target, e.g. /login</source>
        <translation>Teil des Anfrageziels, z. B. /login</translation>
    </message>
    <message>
        <source>User agent:</source>
        <translation>User-Agent:</translation>
    </message>
    <message>
        <source>part of the User-Agent, e.g. curl</source>
        <translation>Teil des User-Agents, z. B. curl</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Datei:</translation>
    </message>
    <message>
        <source>last path segment, e.g. setup.exe</source>
        <translation>letztes Pfadsegment, z. B. setup.exe</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>Benutzer:</translation>
    </message>
    <message>
        <source>Basic auth user</source>
        <translation>Benutzer der Basic-Anmeldung</translation>
    </message>
    <message>
        <source>HTTP criteria select the TCP sessions that carry a request meeting all of those given, and show every packet of those sessions. Host and file ignore case, as does the user agent; one value per field.</source>
        <translation>HTTP-Kriterien wählen die TCP-Sitzungen mit einer Anfrage, die alle angegebenen erfüllt, und zeigen jedes Paket dieser Sitzungen. Host, Datei und User-Agent ohne Beachtung der Groß-/Kleinschreibung; ein Wert je Feld.</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::SummaryTablePanel</name>
    <message>
        <source>Export table</source>
        <translation>Tabelle exportieren</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n row(s) to %1</source>
        <translation>
            <numerusform>%n Zeile nach %1 exportiert</numerusform>
            <numerusform>%n Zeilen nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>CSV exportieren…</translation>
    </message>
    <message>
        <source>Save the filtered and sorted table as CSV</source>
        <translation>Die gefilterte und sortierte Tabelle als CSV speichern</translation>
    </message>
    <message>
        <source>Text, or an expression such as %1</source>
        <translation>Text oder ein Ausdruck wie %1</translation>
    </message>
    <message>
        <source>Plain text matches a part of any cell.
Text starting with ( is an expression. Columns: %1</source>
        <translation>Einfacher Text passt auf einen Teil jeder Zelle.
Text, der mit ( beginnt, ist ein Ausdruck. Spalten: %1</translation>
    </message>
    <message>
        <source>%1 of %2 rows</source>
        <translation>%1 von %2 Zeilen</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::TablePanel</name>
    <message>
        <source>&amp;Filter:</source>
        <translation>&amp;Filter:</translation>
    </message>
    <message>
        <source>Right-click to choose the columns</source>
        <translation>Rechtsklick, um die Spalten auszuwählen</translation>
    </message>
    <message>
        <source>CSV files (*.csv);;All files (*)</source>
        <translation>CSV-Dateien (*.csv);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Export</translation>
    </message>
    <message>
        <source>An export is still running.</source>
        <translation>Ein Export läuft noch.</translation>
    </message>
</context>
<context>
    <name>netlens::app::views::VoipView</name>
    <message>
        <source>%1 of %2 calls</source>
        <translation>%1 von %2 Anrufen</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n call(s) to %1</source>
        <translation>
            <numerusform>%n Anruf nach %1 exportiert</numerusform>
            <numerusform>%n Anrufe nach %1 exportiert</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>&amp;Export CSV…</source>
        <translation>CSV &amp;exportieren …</translation>
    </message>
    <message>
        <source>Save the filtered and sorted calls as CSV</source>
        <translation>Die gefilterten und sortierten Anrufe als CSV speichern</translation>
    </message>
    <message>
        <source>Caller, callee, state, codec or Call-ID, or an expression such as (mos_forward &lt; 3.5)</source>
        <translation>Anrufer, Angerufener, Zustand, Codec oder Call-ID, oder ein Ausdruck wie (mos_forward &lt; 3.5)</translation>
    </message>
    <message>
        <source>Plain text matches a part of From, To, the state, the codecs, the Call-ID or the node.
Text starting with ( is an expression. Columns: %1</source>
        <translation>Einfacher Text passt auf einen Teil von Von, An, dem Zustand, den Codecs, der Call-ID oder dem Knoten.
Text, der mit ( beginnt, ist ein Ausdruck. Spalten: %1</translation>
    </message>
    <message>
        <source>RTP streams of the call (select one for its charts)</source>
        <translation>RTP-Streams des Anrufs (einen wählen für seine Diagramme)</translation>
    </message>
    <message>
        <source>Click a message for its details and SDP</source>
        <translation>Eine Nachricht anklicken für ihre Details und das SDP</translation>
    </message>
    <message>
        <source>VoIP figures of %1: %2</source>
        <translation>VoIP-Zahlen von %1: %2</translation>
    </message>
    <message>
        <source>Select a call to see its SIP ladder and RTP streams</source>
        <translation>Einen Anruf wählen, um sein SIP-Leiterdiagramm und seine RTP-Streams zu sehen</translation>
    </message>
    <message numerus="yes">
        <source>%1 → %2, %3, %n message(s)</source>
        <translation>
            <numerusform>%1 → %2, %3, %n Nachricht</numerusform>
            <numerusform>%1 → %2, %3, %n Nachrichten</numerusform>
        </translation>
    </message>
    <message>
        <source> (the ladder shows the first %1)</source>
        <translation> (das Leiterdiagramm zeigt die ersten %1)</translation>
    </message>
    <message>
        <source>Time: %1</source>
        <translation>Zeit: %1</translation>
    </message>
    <message>
        <source>From %1 to %2 over %3</source>
        <translation>Von %1 an %2 über %3</translation>
    </message>
    <message>
        <source>No SDP body</source>
        <translation>Kein SDP-Inhalt</translation>
    </message>
    <message>
        <source>SDP:</source>
        <translation>SDP:</translation>
    </message>
    <message numerus="yes">
        <source>… %n more byte(s) not kept by the node</source>
        <translation>
            <numerusform>… %n weiteres Byte vom Knoten nicht behalten</numerusform>
            <numerusform>… %n weitere Bytes vom Knoten nicht behalten</numerusform>
        </translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Exportiere nach %1 …</translation>
    </message>
    <message>
        <source>Export calls</source>
        <translation>Anrufe exportieren</translation>
    </message>
    <message>
        <source>Save &amp;audio…</source>
        <translation>&amp;Audio speichern …</translation>
    </message>
    <message>
        <source>Save the call&apos;s audio as MP3 or WAV from the node&apos;s packet store</source>
        <translation>Das Audio des Anrufs als MP3 oder WAV aus dem Paketspeicher des Knotens speichern</translation>
    </message>
    <message>
        <source>Download call &amp;PCAP…</source>
        <translation>Anruf als &amp;PCAP herunterladen …</translation>
    </message>
    <message>
        <source>Download the call&apos;s SIP messages and RTP packets</source>
        <translation>Die SIP-Nachrichten und RTP-Pakete des Anrufs herunterladen</translation>
    </message>
    <message>
        <source>Save stream &amp;audio…</source>
        <translation>Stream-&amp;Audio speichern …</translation>
    </message>
    <message>
        <source>Save this RTP stream&apos;s audio as MP3 or WAV from the node&apos;s packet store</source>
        <translation>Das Audio dieses RTP-Streams als MP3 oder WAV aus dem Paketspeicher des Knotens speichern</translation>
    </message>
    <message>
        <source>Saving audio to %1 failed: %2</source>
        <translation>Speichern des Audios nach %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Audio saved: %1</source>
        <translation>Audio gespeichert: %1</translation>
    </message>
    <message>
        <source>The call has no SIP message or RTP stream to download.</source>
        <translation>Der Anruf hat keine SIP-Nachricht und keinen RTP-Stream zum Herunterladen.</translation>
    </message>
    <message>
        <source>Save audio</source>
        <translation>Audio speichern</translation>
    </message>
    <message>
        <source>MP3 audio (*.mp3)</source>
        <translation>MP3-Audio (*.mp3)</translation>
    </message>
    <message>
        <source>WAV audio (*.wav)</source>
        <translation>WAV-Audio (*.wav)</translation>
    </message>
    <message>
        <source>call %1</source>
        <translation>Anruf %1</translation>
    </message>
    <message>
        <source>Download PCAP: %1</source>
        <translation>PCAP herunterladen: %1</translation>
    </message>
</context>
</TS>
