"""`cargo xtask bench python`: a plan of 100,000 recipients through the Python bindings,
against the same plan through the Rust API (RUST_PLAN_BIN, timed in the same run) and a
plain-Python float split of the same inputs. Ends with one JSON line."""

import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import moderntensor_tokenomics as t

RECIPIENTS = 100_000
ROUNDS = 7
PER_ROUND = 3
SHARES = {  # basis points, docs/SPEC.md defaults
    "miners": 3500,
    "validators": 2800,
    "infrastructure": 200,
    "delegators": 1200,
    "community": 1000,
    "subnet_owners": 800,
    "dao": 500,
}


def address(rng):
    return "0x%040x" % rng.getrandbits(160)


def inputs(rng):
    """A deterministic network of RECIPIENTS recipients, as a person's JSON file has it."""
    counts = {"miners": 40_000, "validators": 30_000, "delegators": 20_000,
              "subnet_owners": 5_000, "infrastructure": 5_000}
    assert sum(counts.values()) == RECIPIENTS
    data = {"epoch": 1000, "utility_score": "0.67", "quality_score": "0.55",
            "community_address": address(rng), "dao_address": address(rng)}
    data["miners"] = [{"address": address(rng), "score": "0.%06d" % rng.randrange(10**6)}
                      for _ in range(counts["miners"])]
    data["validators"] = [{"address": address(rng), "stake": str(rng.randrange(1, 10**6))}
                          for _ in range(counts["validators"])]
    data["delegators"] = [{"address": address(rng), "stake": str(rng.randrange(1, 10**5)),
                           "lock_days": rng.randrange(400)} for _ in range(counts["delegators"])]
    for name in ("subnet_owners", "infrastructure"):
        data[name] = [{"address": address(rng), "weight": str(rng.randrange(1, 100))}
                      for _ in range(counts[name])]
    return data


def float_split(data, total):
    """What a float SDK does: each category's share of `total`, pro rata in floats."""
    bonus = [(365, 2.0), (180, 1.5), (90, 1.25), (30, 1.1)]
    weights = {
        "miners": [(r["address"], float(r["score"])) for r in data["miners"]],
        "validators": [(r["address"], float(r["stake"])) for r in data["validators"]],
        "delegators": [(r["address"], float(r["stake"]) * next(
            (m for days, m in bonus if r["lock_days"] >= days), 1.0)) for r in data["delegators"]],
        "subnet_owners": [(r["address"], float(r["weight"])) for r in data["subnet_owners"]],
        "infrastructure": [(r["address"], float(r["weight"])) for r in data["infrastructure"]],
        "community": [(data["community_address"], 1.0)],
        "dao": [(data["dao_address"], 1.0)],
    }
    transfers = []
    for category, bps in SHARES.items():
        pool = total * bps / 10_000
        whole = sum(w for _, w in weights[category])
        transfers.extend((a, pool * w / whole, category) for a, w in weights[category])
    return transfers


def median_ms(work):
    times = []
    for _ in range(PER_ROUND):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main():
    work = Path(os.environ.get("BENCH_DIR", "target/py-bench"))
    work.mkdir(parents=True, exist_ok=True)
    data = inputs(random.Random(21))
    text = json.dumps(data)
    path = work / "inputs-100k.json"
    path.write_text(text)

    def rust_round():
        done = subprocess.run([os.environ["RUST_PLAN_BIN"], str(path), str(PER_ROUND)],
                              capture_output=True, text=True, check=True)
        return json.loads(done.stdout.strip().splitlines()[-1])

    plan = t.plan(text)
    rust = rust_round()
    assert plan["plan_hash"] == rust["plan_hash"], "the bindings planned something else"
    assert len(plan["transfers"]) == rust["transfers"]
    total = float(plan["total"])
    # Rounds alternate the sides (a shared machine's load shifts between them); each
    # round takes the median of PER_ROUND runs per side; ratios are medians of rounds'.
    series = {"rust": [], "python": [], "python_dict": [], "float": []}
    for _ in range(ROUNDS):
        series["rust"].append(rust_round()["rust_ms"])
        series["python"].append(median_ms(lambda: t.plan(text)))
        series["python_dict"].append(median_ms(lambda: t.plan(data)))
        series["float"].append(median_ms(lambda: float_split(data, total)))
    med = {name: round(statistics.median(values), 1) for name, values in series.items()}
    ratio = round(statistics.median(p / r for p, r in zip(series["python"], series["rust"])), 3)
    dict_ratio = round(
        statistics.median(p / r for p, r in zip(series["python_dict"], series["rust"])), 3)
    rust = {"rust_ms": med["rust"]}
    python_ms, python_dict_ms, float_ms = med["python"], med["python_dict"], med["float"]
    lost = total - sum(a for _, a, _ in float_split(data, total))

    print(f"plan of {RECIPIENTS:,} recipients, medians of {ROUNDS} alternating rounds:")
    print(f"  Rust API (parse, plan, PlanJson)    {rust['rust_ms']:>8.1f} ms")
    print(f"  Python plan(JSON text)              {python_ms:>8.1f} ms "
          f"({ratio:.2f}x Rust)")
    print(f"  Python plan(dict)                   {python_dict_ms:>8.1f} ms "
          f"({dict_ratio:.2f}x Rust)")
    print(f"  plain-Python float split            {float_ms:>8.1f} ms "
          f"(misses the total by {lost:.3e} MDT)")
    print(json.dumps({
        "bench": "python",
        "recipients": RECIPIENTS,
        "python_ms": python_ms,
        "python_dict_ms": python_dict_ms,
        "rust_ms": rust["rust_ms"],
        "binding_vs_rust": ratio,
        "dict_binding_vs_rust": dict_ratio,
        "float_split_ms": float_ms,
        "python": sys.version.split()[0],
    }))


if __name__ == "__main__":
    main()
