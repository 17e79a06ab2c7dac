#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Compare socktop's --stream binds --json lines with what binds_do.py did:
for each expected bind exactly one event matches its identity (pid,
protocol, family, implicit, requested and bound port, result) and every
field is as expected. Prints PASS/FAIL lines.

usage: check_binds.py EVENTS EXPECTED [--only-uid UID] [--only-ports P,...]
  --only-uid / --only-ports: also check that no other event got through.
"""
import argparse
import json

ap = argparse.ArgumentParser()
ap.add_argument("events")
ap.add_argument("expected")
ap.add_argument("--only-uid", type=int)
ap.add_argument("--only-ports")
ap.add_argument("--prefix", default="")
args = ap.parse_args()

events = [json.loads(l) for l in open(args.events) if l.strip()]
expected = [json.loads(l) for l in open(args.expected) if l.strip()]
IDENT = ("pid", "proto", "family", "implicit", "req_port", "bound_port", "ret")
failed = 0


def report(name, ok, why="", prefix=True):
    global failed
    name = (args.prefix if prefix else "") + name
    print(f"{'PASS' if ok else 'FAIL'} {name}{'' if ok else ': ' + why}")
    failed += 0 if ok else 1


by_name = {}
for x in expected:
    exp = x["expect"]
    hits = [e for e in events if all(e.get(k) == exp[k] for k in IDENT)]
    if len(hits) != 1:
        report(x["name"], False, f"{len(hits)} events match {exp}")
        continue
    e = hits[0]
    bad = [f"{k}={e.get(k)!r} (want {v!r})" for k, v in exp.items() if e.get(k) != v]
    if not (isinstance(e.get("skaddr"), str) and int(e["skaddr"], 16) > 0):
        bad.append(f"skaddr={e.get('skaddr')!r}")
    if not e.get("cgroup_id"):
        bad.append("cgroup_id=0")
    by_name[x["name"]] = e
    report(x["name"], not bad, ", ".join(bad))

# the N socket's explicit bind and its port taken at connect() are one socket
if "binds_opt_N" in by_name and "binds_opt_N_connect" in by_name:
    report("binds_opt_N_same_socket",
           by_name["binds_opt_N"]["skaddr"] == by_name["binds_opt_N_connect"]["skaddr"],
           "skaddr differs")
if args.only_uid is not None:
    other = [e for e in events if e["uid"] != args.only_uid]
    report("binds_filter_u", bool(events) and not other, f"{len(other)} other uids", False)
if args.only_ports:
    allowed = {int(p) for p in args.only_ports.split(",")}
    other = [e for e in events if e["req_port"] not in allowed and e["bound_port"] not in allowed]
    report("binds_filter_P", bool(events) and not other, f"{len(other)} other ports", False)
