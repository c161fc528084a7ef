"""The routing script of the generated Kamailio configuration: what the proxy lets
through, and what it refuses.

- Every request passes `sanity_check` (malformed ones are dropped or refused there) and,
  unless it comes from an engine process, a flood limit per source address (`pike`:
  past it, requests are dropped without a reply, so the proxy cannot be used to reflect
  traffic at a spoofed address).
- Out of a dialog only INVITE (dispatched to an engine) and OPTIONS (answered here) are
  served; CANCEL only for an INVITE transaction the proxy holds. Methods we know but do
  not serve get `405` with an `Allow` header, unknown ones `501`: one small reply each.
- In a dialog (a To tag), a request is routed only when its Route header is the one this
  proxy put in that dialog's Record-Route: that carries a key derived from the dialog's
  Call-ID and a secret made when the configuration was written, so no one can invent a
  dialog. And a request that does not come from an engine process may only go to one:
  a caller cannot name another hop (Request-URI or a second Route) and be relayed there.
- A call's load (dispatcher algorithm 10) is released by its BYE, by the failure route
  (a refusal, a timeout, and a CANCEL: the failure route runs on the 487 too; it used
  to leave on a CANCEL first, and every caller who hung up while ringing kept a slot
  forever), and failing all of those by the dispatcher's expiry of the call's entry.
  `ds_next_dst` moves the load to the next process and needs it still counted, and
  `ds_load_unset` needs a destination left in the list: so failover is only tried
  when there is one, and the load is released whenever it is not.
"""

from __future__ import annotations

ALLOW = "INVITE, ACK, CANCEL, BYE, OPTIONS"
RETRY_AFTER = 5  # seconds, in the proxy's own 503 when every process is full
KNOWN = "REGISTER|SUBSCRIBE|PUBLISH|MESSAGE|NOTIFY|REFER|INFO|UPDATE|PRACK|BYE"


def routes(secret: str, tries: int, flood_limit: bool) -> str:
    """The request, reply and failure routes; `tries` processes at most per INVITE."""
    flood = """    if (!ds_is_from_list("1", "2") && !pike_check_req()) {
        exit;  # past the flood limit: dropped, no reply
    }
""" if flood_limit else ""
    return f"""request_route {{
{flood}    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (!sanity_check("22015", "7")) {{  # every check but digest, auth, Proxy-Require
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{
            t_relay();
        }}
        exit;
    }}
    if (has_totag()) {{
        route(DIALOG);
    }}
    if (is_method("ACK")) {{
        exit;  # no To tag: nothing to acknowledge
    }}
    if (is_method("OPTIONS")) {{
        sl_send_reply("200", "OK");
        exit;
    }}
    if (!is_method("INVITE")) {{
        if (is_method("{KNOWN}")) {{
            append_to_reply("Allow: {ALLOW}\\r\\n");
            sl_send_reply("405", "Method Not Allowed");
        }} else {{
            sl_send_reply("501", "Not Implemented");
        }}
        exit;
    }}
    t_check_trans();
    route(DIALOG_KEY);
    add_rr_param(";dk=$var(dk)");
    record_route();
    if (!ds_select_dst("1", "10", "{tries}")) {{
        append_to_reply("Retry-After: {RETRY_AFTER}\r\n");
        send_reply("503", "Service Unavailable");
        exit;
    }}
    t_on_reply("ANSWERED");
    t_on_failure("NEXT");
    route(RELAY);
}}

route[DIALOG_KEY] {{
    $var(key) = "{secret}" + $ci + "{secret}";
    $var(dk) = $(var(key){{s.sha256}}{{s.substr,0,32}});
}}

route[DIALOG] {{
    $var(given) = $(route_uri{{uri.param,dk}});
    if (!loose_route()) {{
        if (is_method("ACK")) {{
            if (t_check_trans()) {{
                t_relay();
            }}
            exit;
        }}
        sl_send_reply("404", "Not Here");
        exit;
    }}
    route(DIALOG_KEY);
    if ($var(given) != $var(dk)) {{
        route(FORBIDDEN);
    }}
    if (is_method("BYE")) {{
        ds_load_update();
    }}
    if (!ds_is_from_list("1", "2")) {{
        $var(hop) = $ru;
        if ($du != $null) {{
            $var(hop) = $du;
        }}
        if (!ds_is_from_list("1", "2", "$var(hop)")) {{
            route(FORBIDDEN);
        }}
    }}
    route(RELAY);
}}

route[FORBIDDEN] {{
    if (!is_method("ACK")) {{
        sl_send_reply("403", "Forbidden");
    }}
    exit;
}}

route[RELAY] {{
    if (!t_relay()) {{
        sl_reply_error();
    }}
    exit;
}}

onreply_route[ANSWERED] {{
    if (is_method("INVITE") && $T_reply_code =~ "^2") {{
        ds_load_update();
    }}
}}

failure_route[NEXT] {{
    if (!t_is_canceled() && (t_check_status("486|408|500|503") || t_branch_timeout())
            && $xavp(_dsdst_[1]=>uri) != $null) {{
        if (ds_next_dst()) {{  # moves the call's load to the next process
            t_on_reply("ANSWERED");
            t_on_failure("NEXT");
            route(RELAY);
        }}
    }}
    ds_load_unset();  # refused, timed out or canceled: the process is free again
}}
"""
