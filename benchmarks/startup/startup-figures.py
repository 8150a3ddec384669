#!/usr/bin/env python3
"""Start-up figures of the sample application: plain and AOT-processed jars, with and without a CDS archive (the
build JDK) or an AOT cache (JDK 25), as docs/benchmarks.md (section 9, "Start-up") reports them.

Each configuration is started --runs times, round-robin (so that machine noise spreads over all of them): the JVM's
uptime when Boot logs "Started SampleApplication ... (process running for Y)" is the start-up time; then SIGTERM, and
the time until the process has exited. Archives come from one training run each (-Dspring.context.exit=onRefresh),
on the jar extracted with -Djarmode=tools, as Spring Boot's documentation recommends.

    mvn -B -ntp -q package -DskipTests -pl sample-app -am
    python3 benchmarks/startup/startup-figures.py --runs 7

Prints one line per configuration: min / median / max of start-up and of SIGTERM-to-exit, and the 1-minute load
average seen before the runs (other work on the machine).
"""

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import time

STARTED = re.compile(r"Started SampleApplication in ([\d.]+) seconds \(process running for ([\d.]+)\)")


def run(command, log, timeout=300):
    with open(log, "w") as out:
        start = time.monotonic()
        subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, timeout=timeout, check=True)
        return time.monotonic() - start


def extract(java, jar, destination):
    run([java, "-Djarmode=tools", "-jar", jar, "extract", "--destination", destination], destination + ".log")
    return os.path.join(destination, os.path.basename(jar))


def start_and_stop(java, options, jar, work, label, index):
    data = os.path.join(work, "data-%s-%d" % (label, index))
    log = os.path.join(work, "run-%s-%d.log" % (label, index))
    command = [java] + options + ["-jar", jar, "--server.port=0", "--sample.data-dir=" + data]
    with open(log, "w") as out:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        uptime = None
        deadline = time.monotonic() + 300
        for line in process.stdout:
            out.write(line)
            match = STARTED.search(line)
            if match:
                uptime = float(match.group(2))
                break
            if time.monotonic() > deadline:
                break
        if uptime is None:
            process.kill()
            raise RuntimeError("%s did not start, see %s" % (label, log))
        sigterm = time.monotonic()
        process.send_signal(signal.SIGTERM)
        for line in process.stdout:
            out.write(line)
        process.wait(timeout=120)
        stop = time.monotonic() - sigterm
    shutil.rmtree(data, ignore_errors=True)
    return uptime, stop


def summary(values, unit_scale, unit):
    return "%.0f / %.0f / %.0f %s" % (min(values) * unit_scale, statistics.median(values) * unit_scale,
                                      max(values) * unit_scale, unit)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plain", default="sample-app/target/disposables-sample-app.jar")
    parser.add_argument("--aot", default="sample-app/target/disposables-sample-app-aot.jar")
    parser.add_argument("--java", default=shutil.which("java"))
    parser.add_argument("--jdk25", default="/usr/lib/jvm/temurin-25-jdk-amd64")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="startup-figures-")
    java17 = args.java
    java25 = os.path.join(args.jdk25, "bin", "java")
    has25 = os.access(java25, os.X_OK)
    aot = ["-Dspring.aot.enabled=true"]
    plain_jar = os.path.abspath(args.plain)
    aot_jar = os.path.abspath(args.aot)
    plain_x = extract(java17, plain_jar, os.path.join(work, "plain"))
    aot_x = extract(java17, aot_jar, os.path.join(work, "aot"))

    training = []

    def train(label, java, options, jar, archive_option, archive):
        seconds = run([java] + options + [archive_option + archive, "-Dspring.context.exit=onRefresh", "-jar", jar,
                                          "--server.port=0", "--sample.data-dir=" + os.path.join(work, "train-" + label)],
                      os.path.join(work, "train-%s.log" % label))
        training.append("%-34s %5.1f s, archive %d MiB" % (label, seconds, os.path.getsize(archive) // (1 << 20)))
        return archive

    plain_jsa = train("JDK 17 CDS, plain", java17, [], plain_x, "-XX:ArchiveClassesAtExit=",
                      os.path.join(work, "plain.jsa"))
    aot_jsa = train("JDK 17 CDS, AOT-processed", java17, aot, aot_x, "-XX:ArchiveClassesAtExit=",
                    os.path.join(work, "aot.jsa"))
    configurations = [
        ("JDK 17 java -jar (fat jar)", java17, [], plain_jar),
        ("JDK 17 extracted", java17, [], plain_x),
        ("JDK 17 extracted + CDS", java17, ["-XX:SharedArchiveFile=" + plain_jsa], plain_x),
        ("JDK 17 AOT-processed", java17, aot, aot_x),
        ("JDK 17 AOT-processed + CDS", java17, aot + ["-XX:SharedArchiveFile=" + aot_jsa], aot_x),
    ]
    if has25:
        plain_cache = train("JDK 25 AOT cache, plain", java25, [], plain_x, "-XX:AOTCacheOutput=",
                            os.path.join(work, "plain.aot"))
        aot_cache = train("JDK 25 AOT cache, AOT-processed", java25, aot, aot_x, "-XX:AOTCacheOutput=",
                          os.path.join(work, "aot.aot"))
        configurations += [
            ("JDK 25 extracted", java25, [], plain_x),
            ("JDK 25 extracted + AOT cache", java25, ["-XX:AOTCache=" + plain_cache], plain_x),
            ("JDK 25 AOT-processed", java25, aot, aot_x),
            ("JDK 25 AOT-processed + AOT cache", java25, aot + ["-XX:AOTCache=" + aot_cache], aot_x),
        ]

    results = {label: ([], []) for label, _, _, _ in configurations}
    loads = []
    for index in range(args.runs):
        for label, java, options, jar in configurations:
            with open("/proc/loadavg") as loadavg:
                loads.append(float(loadavg.read().split()[0]))
            uptime, stop = start_and_stop(java, options, jar, work, re.sub(r"\W+", "-", label), index)
            results[label][0].append(uptime)
            results[label][1].append(stop)

    print("Training runs:")
    for line in training:
        print("  " + line)
    print("Start-up (JVM uptime at 'Started') and SIGTERM to exit, min / median / max of %d runs:" % args.runs)
    for label, _, _, _ in configurations:
        uptimes, stops = results[label]
        print("  %-34s start-up %s   SIGTERM to exit %s" % (label, summary(uptimes, 1000, "ms"),
                                                              summary(stops, 1000, "ms")))
    print("1-minute load average before the runs: min %.2f, median %.2f, max %.2f (2 cores)"
          % (min(loads), statistics.median(loads), max(loads)))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
