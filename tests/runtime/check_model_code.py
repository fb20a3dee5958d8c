#!/usr/bin/env python3
"""Runs every generated PyTorch script (DIR/model_code-*-pytorch.py, written by the doctest case
"model code: every script, written for the Python checks") and checks that the parameter count
PyTorch itself prints equals the count the script states, which tests/runtime/test_model_code.cpp
holds to the engine's nn::param_count. Usage: check_model_code.py DIR (needs torch: python3-torch)."""
import contextlib
import glob
import io
import re
import runpy
import sys

COUNT = re.compile(r"print\(sum\(p\.numel\(\) for p in model\.parameters\(\)\)\)  # (\d+), as the lab counts")

files = sorted(glob.glob(sys.argv[1] + "/model_code-*-pytorch.py"))
failures = 0
for path in files:
    with open(path, encoding="utf-8") as f:
        stated = COUNT.search(f.read())
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_path(path, run_name="__main__")
    except Exception as e:  # a script that does not run is a failure, whatever the reason
        print(f"FAIL {path}: {type(e).__name__}: {e}")
        failures += 1
        continue
    printed = next((int(line) for line in out.getvalue().splitlines() if line.strip().isdigit()), None)
    if not stated or printed != int(stated.group(1)):
        print(f"FAIL {path}: PyTorch counts {printed} parameters, the script states {stated and stated.group(1)}")
        failures += 1
    else:
        print(f"ok   {path}: {printed} parameters")
if not files:
    print(f"FAIL: no model_code-*-pytorch.py in {sys.argv[1]}")
    failures += 1
sys.exit(1 if failures else 0)
