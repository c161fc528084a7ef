"""SIPp scenarios for calls into `dialplan serve`: the caller's side of each flow.

Built from the engine tests' INVITE/ACK templates; what differs is what the caller
does after the answer (digits at given moments) and what it expects from the server
(a BYE, a REFER it accepts or refuses).
"""

from __future__ import annotations

from tests.engine.sipp import BYE, DIGIT_PCAP, HEAD, PCAPS

RECV_BYE = """  <recv request="BYE"/>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Content-Length: 0
]]></send>
"""

REFER_THEN_BYE = """  <recv request="REFER"/>
  <send><![CDATA[
SIP/2.0 {status}
[last_Via:]
[last_From:]
[last_To:]
[last_Call-ID:]
[last_CSeq:]
Contact: sip:sipp@[local_ip]:[local_port]
Content-Length: 0
]]></send>
"""

NOTIFY_OK = """  <send retrans="500"><![CDATA[
NOTIFY sip:[service]@[remote_ip]:[remote_port] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 3 NOTIFY
Contact: sip:sipp@[local_ip]:[local_port]
Event: refer
Subscription-State: terminated;reason=noresource
Content-Type: message/sipfrag;version=2.0
Max-Forwards: 70
Content-Length: [len]

SIP/2.0 200 OK
]]></send>
  <recv response="200"/>
"""


# ACK by the route set of the 200 (rrs): through a record-routing proxy (Kamailio in front
# of a pool) the ACK must follow the Record-Route; without one, [routes] is empty.
ROUTED_ACK = """  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
From: sipp <sip:sipp@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
Call-ID: [call_id]
CSeq: 1 ACK
[routes]
Contact: sip:sipp@[local_ip]:[local_port]
Max-Forwards: 70
Content-Length: 0
]]></send>
"""


def _answered() -> list[str]:
    return ['  <recv response="180" optional="global"/>',
            '  <recv response="200" rtd="true" rrs="true"/>', ROUTED_ACK]


def _digits(digits: str, wait_ms: int, gap_ms: int = 400) -> list[str]:
    steps = [f'  <pause milliseconds="{wait_ms}"/>'] if wait_ms else []
    for i, digit in enumerate(digits):
        if i:
            steps.append(f'  <pause milliseconds="{gap_ms}"/>')
        pcap = PCAPS / f"dtmf_2833_{DIGIT_PCAP[digit]}.pcap"
        steps.append(f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>')
    return steps


def press_then_server_hangs_up(digits: str, wait_ms: int = 1500) -> str:
    """Answer, press `digits` after `wait_ms`, then expect the server's BYE."""
    body = [*_answered(), *_digits(digits, wait_ms), RECV_BYE]
    return HEAD.format(name="server-bye") + "\n".join(body) + "</scenario>\n"


def press_then_transferred(digits: str, wait_ms: int = 1500) -> str:
    """Answer, press `digits`, accept the REFER (202, NOTIFY 200), expect the BYE."""
    body = [*_answered(), *_digits(digits, wait_ms),
            REFER_THEN_BYE.format(status="202 Accepted"), NOTIFY_OK, RECV_BYE]
    return HEAD.format(name="transferred") + "\n".join(body) + "</scenario>\n"


def silent_until_server_hangs_up() -> str:
    """Answer and say nothing: the flow gives up and hangs up."""
    return HEAD.format(name="silent") + "\n".join([*_answered(), RECV_BYE]) + "</scenario>\n"


def press_then_caller_hangs_up(digits: str, wait_ms: int, hold_ms: int) -> str:
    body = [*_answered(), *_digits(digits, wait_ms), f'  <pause milliseconds="{hold_ms}"/>', BYE]
    return HEAD.format(name="caller-bye") + "\n".join(body) + "</scenario>\n"


# -- for the per-action tests (tests/dialplan/runtime/test_actions_*.py) -------------------------

def press_spaced_then_server_hangs_up(digits: str, wait_ms: int, gap_ms: int) -> str:
    """Answer, press `digits` `gap_ms` apart from `wait_ms` on, then expect our BYE.

    Within one call keys must go up in the order 0-9, *, #: the pcaps are one RTP
    stream cut into digits, and a digit whose sequence numbers fall a little below the
    last one's (9 then 8) is dropped by the receiver as a late packet."""
    body = [*_answered(), *_digits(digits, wait_ms, gap_ms), RECV_BYE]
    return HEAD.format(name="spaced-digits") + "\n".join(body) + "</scenario>\n"


def _head_with_media(name: str, media: str, payloads: str, rtpmap: str) -> str:
    old = ("m=audio [media_port] RTP/AVP 0 101\na=rtpmap:0 PCMU/8000\n")
    assert old in HEAD
    return HEAD.format(name=name).replace(old, f"m=audio {media} RTP/AVP {payloads}\n{rtpmap}\n")


def listen_until_server_hangs_up(media_port: int) -> str:
    """Answer with our audio going to `media_port` (a test's own UDP socket, to hear
    what the service plays), stay silent, expect our BYE."""
    head = _head_with_media("listener", str(media_port), "0 101", "a=rtpmap:0 PCMU/8000")
    return head + "\n".join([*_answered(), RECV_BYE]) + "</scenario>\n"


def listen_then_press(media_port: int, digits: str, wait_ms: int) -> str:
    """Answer with our audio going to `media_port` (a test's own UDP socket), stay silent
    `wait_ms`, press `digits` (RTP from SIPp's own media port), expect our BYE."""
    head = _head_with_media("listen-press", str(media_port), "0 101", "a=rtpmap:0 PCMU/8000")
    return head + "\n".join([*_answered(), *_digits(digits, wait_ms), RECV_BYE]) + \
        "</scenario>\n"


def speak_pcma_then_hang_up(pcap: str, hold_ms: int) -> str:
    """Offer PCMA (8) and telephone-events, play the PCMA `pcap` as the caller's voice,
    hang up after `hold_ms`."""
    head = _head_with_media("speaker", "[media_port]", "8 101", "a=rtpmap:8 PCMA/8000")
    play = f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>'
    body = [*_answered(), play, f'  <pause milliseconds="{hold_ms}"/>', BYE]
    return head + "\n".join(body) + "</scenario>\n"


def speak_pcma_then_server_hangs_up(pcap: str, key: str = "", key_at_ms: int = 0) -> str:
    """Like `speak_pcma_then_hang_up`, but stay on the line (pressing `key` at
    `key_at_ms`, if given) until the service hangs up."""
    head = _head_with_media("speaker", "[media_port]", "8 101", "a=rtpmap:8 PCMA/8000")
    body = [*_answered(), f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>']
    if key:
        body += _digits(key, key_at_ms)
    return head + "\n".join([*body, RECV_BYE]) + "</scenario>\n"


def refuse_transfer(status: str = "603 Declined") -> str:
    """Answer, refuse the service's REFER with `status`, then expect our BYE."""
    body = [*_answered(), REFER_THEN_BYE.format(status=status), RECV_BYE]
    return HEAD.format(name="refuse-transfer") + "\n".join(body) + "</scenario>\n"


# -- for the attacks from inside an answered call (tests/dialplan/runtime/test_attacks_calls.py)

def _in_dialog(method: str, cseq: int, headers: str = "", expect: int = 0) -> str:
    """The engine tests' BYE, reworded as another request of the caller's dialog."""
    text = BYE.replace("BYE sip:", f"{method} sip:").replace("CSeq: 2 BYE",
                                                            f"CSeq: {cseq} {method}")
    if headers:
        text = text.replace("Max-Forwards: 70", headers + "Max-Forwards: 70")
    if expect:
        text = text.replace('<recv response="200" crlf="true"/>', f'<recv response="{expect}"/>')
    return text


def refers_then_bye(refers: list[tuple[str, int]], hold_ms: int = 500) -> str:
    """Answer, send one in-dialog REFER per (target, expected status), hang up (to call
    with SIPp's `-aa`, which answers the NOTIFYs a followed REFER brings)."""
    steps = [_in_dialog("REFER", 2 + i, f"Refer-To: <{target}>\nReferred-By: "
                        "<sip:sipp@[local_ip]:[local_port]>\n", status)
             for i, (target, status) in enumerate(refers)]
    body = [*_answered(), *steps, f'  <pause milliseconds="{hold_ms}"/>',
            _in_dialog("BYE", 2 + len(refers))]
    return HEAD.format(name="refers") + "\n".join(body) + "</scenario>\n"
