#!/usr/bin/env python3
"""Regenerates the regional prices in ../prices.json from public copies of the AWS
pricing-page feeds, so every price carries its source and no number is typed by hand.

Usage (from the repository root, with the three source repositories checked out as
bare mirrors or clones at the commits named below):

  F1=/path/to/iann0036/aws-price-watcher F2=/path/to/lamngockhuong/aws-price \
  EC2SHOP=/path/to/yeo/ec2.shop python3 policies/cost/gen/prices.py

It reads the files with `git show <commit>:<path>`, keeps the catalog's global prices,
sources and notes, rewrites `regions`, `prices` and `interRegionTransferPerGB`, and prints
every difference from the previous catalog for review. A region missing from a feed is
left out of that price (the estimator then reports the resource as unpriced); nothing is
filled in or guessed.
"""
import json
import os
import re
import subprocess
import sys

COMMITS = {
    "F1": "d65c44f0cbfbfc8bf647809576a504ecf1587e8d",
    "F2": "508fb45296c89efe38772babd7ec766644629267",
    "EC2SHOP": "74c9fd8ab5acfd9511cd6535f914d47071601ad2",
}

# Commercial regions (internal/regions.Known without GovCloud) -> the location name the
# pricing-page feeds use.
LOCATIONS = {
    "us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)", "us-west-2": "US West (Oregon)",
    "ca-central-1": "Canada (Central)", "ca-west-1": "Canada West (Calgary)",
    "mx-central-1": "Mexico (Central)", "sa-east-1": "South America (Sao Paulo)",
    "eu-central-1": "EU (Frankfurt)", "eu-central-2": "EU (Zurich)", "eu-west-1": "EU (Ireland)",
    "eu-west-2": "EU (London)", "eu-west-3": "EU (Paris)", "eu-south-1": "EU (Milan)",
    "eu-south-2": "EU (Spain)", "eu-north-1": "EU (Stockholm)", "il-central-1": "Israel (Tel Aviv)",
    "me-south-1": "Middle East (Bahrain)", "me-central-1": "Middle East (UAE)",
    "af-south-1": "Africa (Cape Town)", "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-east-2": "Asia Pacific (Taipei)", "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-south-2": "Asia Pacific (Hyderabad)", "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)", "ap-southeast-3": "Asia Pacific (Jakarta)",
    "ap-southeast-4": "Asia Pacific (Melbourne)", "ap-southeast-5": "Asia Pacific (Malaysia)",
    "ap-southeast-7": "Asia Pacific (Thailand)", "ap-northeast-1": "Asia Pacific (Tokyo)",
    "ap-northeast-2": "Asia Pacific (Seoul)", "ap-northeast-3": "Asia Pacific (Osaka)",
}
BY_LOCATION = {v: k for k, v in LOCATIONS.items()}

# Families priced per size (every size the feed lists).
EC2_FAMILIES = ["t3", "t4g", "m5", "m6i", "m7g", "c6i", "c7g", "r6i", "g4dn", "g5", "p4d"]
RDS_FAMILIES = ["db.t4g", "db.m6g", "db.r6g"]
AURORA_FAMILIES = ["db.t4g", "db.r6g", "db.r7g"]


def show(repo_env, path):
    repo = os.environ[repo_env]
    return json.loads(subprocess.run(["git", "-C", repo, "show", COMMITS[repo_env] + ":" + path],
                                     check=True, capture_output=True).stdout)


def num(s):
    v = float(s)
    return float(f"{v:.10g}")


def by_region(m):
    """A feed's {location: price} map -> {region: price} for commercial regions."""
    out = {}
    for loc, price in m.items():
        region = BY_LOCATION.get(loc)
        if region is not None and ";" not in price:
            out[region] = num(price)
    return out


def f2_item(feed, name):
    out = {}
    for loc, items in feed["regions"].items():
        region = BY_LOCATION.get(loc)
        if region is not None and name in items:
            out[region] = num(items[name]["price"])
    return out


def main():
    path = os.path.join(os.path.dirname(__file__), "..", "prices.json")
    with open(path) as f:
        cat = json.load(f)
    old = cat["prices"]
    prices = {}

    def put(key, unit, source, values, note=None):
        if not values:
            sys.exit(f"{key}: no prices found")
        p = {"unit": unit, "source": source}
        if note:
            p["note"] = note
        elif key in old and old[key].get("note"):
            p["note"] = old[key]["note"]
        p["byRegion"] = dict(sorted(values.items()))
        prices[key] = p

    # Fargate (F2 ecs.json).
    ecs = show("F2", "lib/data/pricing/ecs.json")
    src = "F2 lib/data/pricing/ecs.json (pub 2025-10-27)"
    put("fargate.x86.vcpuHour", "vCPU-hour", src, f2_item(ecs, "perCPU per hour"))
    put("fargate.x86.gbHour", "GB-hour", src, f2_item(ecs, "perGB per hour"))
    put("fargate.arm.vcpuHour", "vCPU-hour", src, f2_item(ecs, "ARM perCPU per hour"))
    put("fargate.arm.gbHour", "GB-hour", src, f2_item(ecs, "ARM perGB per hour"))
    put("fargate.ephemeral.gbHour", "GB-hour", src + ", 'Storage per GB-Hours'", f2_item(ecs, "Storage per GB-Hours"),
        note="ephemeral storage beyond the 20 GB every task gets")

    # ALB (F1 processed/elb.json).
    elb = show("F1", "processed/elb.json")
    src = "F1 processed/elb.json (pub 2025-05-20)"
    put("alb.hour", "hour", src, by_region(elb["Application Load Balancer Hours"]))
    put("alb.lcuHour", "LCU-hour", src, by_region(elb["Application Load Balancer LCU Hours"]))

    # NAT gateway (F2 natgateway.json).
    nat = show("F2", "lib/data/pricing/natgateway.json")
    src = "F2 lib/data/pricing/natgateway.json (pub 2025-10-28)"
    put("nat.hour", "hour", src, f2_item(nat, "Hourly charge for NAT Gateways"))
    put("nat.gb", "GB processed", src, f2_item(nat, "Charge for per GB data processed by NatGateways"))

    # Public IPv4 addresses (F2 vpc.json): $0.005/h per in-use or idle address since 2024-02-01.
    vpc = show("F2", "lib/data/pricing/vpc.json")
    put("vpc.publicIPv4.hour", "public IPv4 address-hour",
        "F2 lib/data/pricing/vpc.json (pub 2025-11-04), 'Hourly charge for In use Public IPv4 Addresses per Hrs'",
        f2_item(vpc, "Hourly charge for In use Public IPv4 Addresses per Hrs"),
        note="every public IPv4 address, in use (EIP, NAT gateway, internet-facing ALB node, public Fargate task) or idle, since 2024-02-01")

    # RDS for PostgreSQL instances and gp3 storage (F1 processed/rds-postgresql-ondemand.json).
    rds = show("F1", "processed/rds-postgresql-ondemand.json")
    src = "F1 processed/rds-postgresql-ondemand.json (as of 2025-05-24)"
    inst = {}
    for k, locs in rds.items():
        m = re.match(r"Database Instance PostgreSQL No license required db \S+ .* (Single-AZ|Multi-AZ) Current Generation$", k)
        if not m:
            continue
        az = {"Single-AZ": "singleAZ", "Multi-AZ": "multiAZ"}[m.group(1)]
        for loc, price in locs.items():
            lm = re.match(r"(.*) \(Instance Type: (db\.[a-z0-9]+\.[a-z0-9]+)", loc)
            if not lm or lm.group(1) not in BY_LOCATION:
                continue
            cls = lm.group(2)
            if cls.rsplit(".", 1)[0] not in RDS_FAMILIES:
                continue
            inst.setdefault(f"rds.postgres.{cls}.{az}", {})[BY_LOCATION[lm.group(1)]] = num(price)
    for key in sorted(inst):
        put(key, "hour", src, inst[key])
    put("rds.gp3.singleAZ.gbMonth", "GB-month", src, by_region(rds["Database Storage Single AZ General Purpose-GP3"]))
    put("rds.gp3.multiAZ.gbMonth", "GB-month", src, by_region(rds["Database Storage Multi AZ General Purpose-GP3"]))

    # Aurora instances (F1 processed/rds-aurora-ondemand.json).
    aur = show("F1", "processed/rds-aurora-ondemand.json")
    src = "F1 processed/rds-aurora-ondemand.json (pub 2025-05-23)"
    inst = {}
    for k, locs in aur.items():
        m = re.match(r"\[Database Instance (Aurora MySQL|Aurora PostgreSQL) No license required (Aurora IO Optimization Mode )?.*Single-AZ Current Generation\]", k)
        if not m:
            continue
        engine = {"Aurora MySQL": "aurora-mysql", "Aurora PostgreSQL": "aurora-postgresql"}[m.group(1)]
        tier = "io-optimized" if m.group(2) else "standard"
        for loc, price in locs.items():
            lm = re.match(r"(.*) \(Instance Type: (db\.[a-z0-9]+\.[a-z0-9]+)\)$", loc)
            if not lm or lm.group(1) not in BY_LOCATION:
                continue
            cls = lm.group(2)
            if cls.rsplit(".", 1)[0] not in AURORA_FAMILIES:
                continue
            key = f"aurora.{engine}.{tier}.{cls}"
            region = BY_LOCATION[lm.group(1)]
            if region in inst.get(key, {}) and inst[key][region] != num(price):
                sys.exit(f"{key} {region}: conflicting prices {inst[key][region]} and {price}")
            inst.setdefault(key, {})[region] = num(price)
    for key in sorted(inst):
        # Classes AWS does not offer in us-east-1 appear for a few regions only
        # (feed residue); Aurora's supported classes are all offered there.
        if "us-east-1" in inst[key]:
            put(key, "hour", src, inst[key])

    # Aurora storage and I/O (F1 processed/rds-aurora-storage.json).
    st = show("F1", "processed/rds-aurora-storage.json")
    src = "F1 processed/rds-aurora-storage.json (pub 2025-05-23)"
    put("aurora.standard.storage.gbMonth", "GB-month", src + ", 'Database Storage DB Engine Aurora PostgreSQL General Purpose Aurora'",
        by_region(st["Database Storage DB Engine Aurora PostgreSQL General Purpose Aurora"]))
    put("aurora.ioOptimized.storage.gbMonth", "GB-month", src, by_region(st["Aurora PostgreSQL IO Optimized Aurora"]))
    put("aurora.io.perMillion", "1M requests", src + " (per request x 1e6)",
        {r: num(v * 1e6) for r, v in by_region(st["System Operation Aurora I O Operation"]).items()})
    put("aurora.globalWriteIO.perMillion", "1M replicated writes", src + " (per write x 1e6)",
        {r: num(v * 1e6) for r, v in by_region(st["Aurora PostgreSQL Aurora Global Database"]).items()})

    # DynamoDB (F2 dynamodb.json).
    ddb = show("F2", "lib/data/pricing/dynamodb.json")
    src = "F2 lib/data/pricing/dynamodb.json (pub 2025-08-28)"
    per_m = lambda name: {r: num(v * 1e6) for r, v in f2_item(ddb, name).items()}
    put("dynamodb.wru.perMillion", "1M WRU", src + " (per unit x 1e6)", per_m("PayPerRequest Write Request Units"))
    put("dynamodb.rru.perMillion", "1M RRU", src + " (per unit x 1e6)", per_m("PayPerRequest Read Request Units"))
    put("dynamodb.replicatedWru.perMillion", "1M replicated WRU", src + " (per unit x 1e6)", per_m("PayPerRequest Replicated Write Request Units"))
    put("dynamodb.storage.gbMonth", "GB-month", src, f2_item(ddb, "Data Storage Indexed GB-Mo"))
    put("dynamodb.pitr.gbMonth", "GB-month", src, f2_item(ddb, "PITR Backup Storage GB-Mo"))
    put("dynamodb.rcu.hour", "RCU-hour", src + ", 'Provisioned Read Units'", f2_item(ddb, "Provisioned Read Units"),
        note="provisioned capacity, Standard table class; the account-wide free tier is not applied")
    put("dynamodb.wcu.hour", "WCU-hour", src + ", 'Provisioned Write Units'", f2_item(ddb, "Provisioned Write Units"),
        note="provisioned capacity, Standard table class; the account-wide free tier is not applied")
    put("dynamodb.replicatedWcu.hour", "replicated WCU-hour", src + ", 'Provisioned Replicated Write Units'",
        f2_item(ddb, "Provisioned Replicated Write Units"), note="provisioned capacity of each global-table replica")

    # KMS, Secrets Manager, CloudWatch Logs.
    kms = show("F2", "lib/data/pricing/kms.json")
    put("kms.keyMonth", "key-month", "F2 lib/data/pricing/kms.json (pub 2025-08-28)", f2_item(kms, "Encryption Key"))
    sm = show("F1", "processed/secretsmanager.json")
    put("secretsmanager.secretMonth", "secret-month",
        "F1 processed/secretsmanager.json (pub 2025-03-27); AE-SM: each replica is billed as a secret", by_region(sm["Secret"]))
    cw = show("F2", "lib/data/pricing/cloudwatch.json")
    src = "F2 lib/data/pricing/cloudwatch.json (pub 2025-09-23)"
    put("logs.ingest.gb", "GB ingested", src, f2_item(cw, "Logs Collected Data Ingestion"))
    put("logs.storage.gbMonth", "GB-month", src, f2_item(cw, "Stored Data"))
    put("cloudwatch.metricMonth", "metric-month (first 10,000)", src + ", 'Metric for the first 10000'",
        f2_item(cw, "Metric for the first 10000"), note="custom metrics, as Container Insights publishes them")
    put("cloudwatch.alarmMonth", "standard-resolution alarm-month", src + ", 'Alarm Standard'", f2_item(cw, "Alarm Standard"))
    put("cloudwatch.alarmHighResMonth", "high-resolution alarm-month", src + ", 'Alarm High Resolution'", f2_item(cw, "Alarm High Resolution"))
    runs = f2_item(cw, "Canaries per Runs")
    # Cross-check with the older F1 copy: a region both list must agree.
    f1runs = by_region(show("F1", "processed/cloudwatch.json")["Canaries per Runs"])
    for region in sorted(set(runs) & set(f1runs)):
        if runs[region] != f1runs[region]:
            sys.exit(f"cloudwatch.canaryRun {region}: F2 {runs[region]} != F1 {f1runs[region]}")
    put("cloudwatch.canaryRun", "canary run", src + ", 'Canaries per Runs'; F1 processed/cloudwatch.json (pub 2025-05-21) agrees in every region both list", runs,
        note="CloudWatch Synthetics, per run; the canary's own Lambda invocations are billed by Lambda (lambda.*)")

    # S3 Standard storage (F2 s3.json).
    s3 = show("F2", "lib/data/pricing/s3.json")
    put("s3.standard.gbMonth", "GB-month (first 50 TB)", "F2 lib/data/pricing/s3.json (pub 2025-10-22), 'Standard Storage First 50 TB per GB Mo'",
        f2_item(s3, "Standard Storage First 50 TB per GB Mo"))

    # Lambda (F2 lambda.json): what a Synthetics canary run executes as.
    lam = show("F2", "lib/data/pricing/lambda.json")
    src = "F2 lib/data/pricing/lambda.json (pub 2025-10-30)"
    put("lambda.x86.gbSecond", "GB-second", src + ", 'Lambda Duration'", f2_item(lam, "Lambda Duration"),
        note="x86 (dearer than Arm), first 6 billion GB-seconds a month; the free tier is not applied")
    put("lambda.requests.perMillion", "1M requests", src + ", 'Lambda Requests' (per request x 1e6)",
        {r: num(v * 1e6) for r, v in f2_item(lam, "Lambda Requests").items()})

    # Data transfer (F1 processed/datatransfer.json).
    dt = show("F1", "processed/datatransfer.json")
    src = "F1 processed/datatransfer.json (as of 2025-05-24)"
    egress = {}
    for loc, price in dt["DataTransfer External Outbound Next 10 TB No Wavelength"].items():
        lm = re.match(r"(.*) \(StartingRange: 0, EndingRange: 10240\)$", loc)
        if lm and lm.group(1) in BY_LOCATION:
            egress[BY_LOCATION[lm.group(1)]] = num(price)
    put("transfer.internet.gb", "GB (first 10 TB)", src, egress)
    inter = {}
    for k, locs in dt.items():
        if not k.startswith("DataTransfer InterRegion Outbound to "):
            continue
        for loc, price in locs.items():
            lm = re.match(r"(.*) \(To Location: (.*)\)$", loc)
            if not lm or lm.group(1) not in BY_LOCATION or lm.group(2) not in BY_LOCATION:
                continue
            s, d = BY_LOCATION[lm.group(1)], BY_LOCATION[lm.group(2)]
            if s != d:
                inter.setdefault(s, {})[d] = num(price)

    # EC2 Linux on-demand, shared tenancy (ec2.shop per-region copies of the AWS feed).
    ec2 = {}
    for region, loc in LOCATIONS.items():
        try:
            feed = show("EC2SHOP", f"data/ec2/{region}-ondemand.json")
        except subprocess.CalledProcessError:
            continue
        for item in feed["regions"].get(loc, {}).values():
            t = item.get("Instance Type", "")
            if (item.get("Operating System") != "Linux" or item.get("Pre Installed S/W") != "NA"
                    or item.get("License Model") != "No License required" or t.split(".")[0] not in EC2_FAMILIES):
                continue
            key = f"ec2.{t}.hour"
            if region in ec2.get(key, {}) and ec2[key][region] != num(item["price"]):
                sys.exit(f"{key} {region}: conflicting prices")
            ec2.setdefault(key, {})[region] = num(item["price"])
    for key in sorted(ec2):
        put(key, "hour", "EC2SHOP data/ec2/<region>-ondemand.json (AWS feed ec2-ondemand-without-sec-sel, pub 2025-04-04), Linux, shared tenancy", ec2[key])

    # EBS volumes (ec2.shop data/ebs/ebs.json, a verbatim copy of the AWS EBS feed).
    ebs = show("EC2SHOP", "data/ebs/ebs.json")
    src = "EC2SHOP data/ebs/ebs.json (AWS feed ebs, pub 2024-07-18)"
    put("ebs.gp3.gbMonth", "GB-month", src, f2_item(ebs, "Storage General Purpose gp3 GB Mo"))
    put("ebs.gp2.gbMonth", "GB-month", src, f2_item(ebs, "Storage General Purpose gp2 GB Mo"))

    # Report differences from the previous catalog.
    for key, p in old.items():
        if key not in prices:
            print(f"dropped {key}")
            continue
        for region, v in p["byRegion"].items():
            nv = prices[key]["byRegion"].get(region)
            if nv != v:
                print(f"changed {key} {region}: {v} -> {nv}")
    for s, m in cat["interRegionTransferPerGB"]["from"].items():
        for d, v in m.items():
            if inter.get(s, {}).get(d) != v:
                print(f"changed transfer {s}->{d}: {v} -> {inter.get(s, {}).get(d)}")

    covered = set()
    for p in prices.values():
        covered |= set(p["byRegion"])
    cat["regions"] = [r for r in LOCATIONS if r in covered]
    cat["sources"]["F1"] = f"GitHub iann0036/aws-price-watcher @ {COMMITS['F1']}, verbatim AWS pricing-page feeds (snapshot 2025-05-24)"
    cat["sources"]["F2"] = f"GitHub lamngockhuong/aws-price @ {COMMITS['F2']}, verbatim AWS pricing-page feeds (fetched 2025-11-04)"
    cat["sources"]["EC2SHOP"] = f"GitHub yeo/ec2.shop @ {COMMITS['EC2SHOP']}, data/ec2/<region>-ondemand.json: verbatim AWS EC2 on-demand feed per region (pub 2025-04-04)"
    cat["prices"] = dict(sorted(prices.items()))
    cat["interRegionTransferPerGB"]["source"] = src
    cat["interRegionTransferPerGB"]["from"] = {s: dict(sorted(m.items())) for s, m in sorted(inter.items())}
    write(path, cat)


def write(path, cat):
    """One line per price, so the file stays small and diffs stay readable."""
    lines = ["{"]
    top = [k for k in cat if k not in ("prices", "global", "interRegionTransferPerGB")]
    for k in top:
        lines.append(f" {json.dumps(k)}: {json.dumps(cat[k])},")
    lines.append(' "prices": {')
    items = list(cat["prices"].items())
    for i, (k, v) in enumerate(items):
        lines.append(f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'))}" + ("," if i < len(items) - 1 else ""))
    lines.append(" },")
    lines.append(f' "global": {json.dumps(cat["global"], indent=1).replace(chr(10), chr(10) + " ")},')
    it = cat["interRegionTransferPerGB"]
    lines.append(' "interRegionTransferPerGB": {')
    for k in it:
        if k != "from":
            lines.append(f"  {json.dumps(k)}: {json.dumps(it[k])},")
    lines.append('  "from": {')
    srcs = list(it["from"].items())
    for i, (s, m) in enumerate(srcs):
        lines.append(f"   {json.dumps(s)}: {json.dumps(m, separators=(',', ':'))}" + ("," if i < len(srcs) - 1 else ""))
    lines.append("  }")
    lines.append(" }")
    lines.append("}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
