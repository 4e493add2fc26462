# tools/trace.awk: a scheduler-trace dump (the format of user/trace.c) into a
# timeline: Chrome's trace event JSON, and the data and script of a gnuplot
# picture.  tools/trace.sh runs it; see docs/trace.md.
#
# Input: the dump's "trace:" and "thread" lines first, then its event lines
# sorted by TSC (all CPUs together, so that names change when they did).
# Variables (-v): json, dat, labels, marks, gp, png: the files to write;
# title: the picture's title.
#
# A slice is a stretch of one CPU running one thread: from the switch to it
# to the switch away (or to the first and last events seen).  Its name is
# its program and tid ("spin_demo 4"): Perfetto colours a slice by its name
# with the digits left out, so by program; chrome://tracing colours it by
# "cname", which is chosen per process here; the picture colours by process.

BEGIN {
    CPU_LANES_PID = 1000000         # the JSON "process" whose threads are the CPU lanes, CPU n as
                                    # "thread" CPU_LANES_PID + n: viewers key threads by tid alone
    US_PER_MS = 1000
    LABEL_MIN_FRACTION = 0.008      # slices narrower than this part of the picture get no label
    BAR_HALF = 0.3                  # a bar's half height, lanes being 1 apart
    BORDER_MAX_SLICES = 300         # more bars than this: no borders, which would cover them
    KEY_MAX_PROCESSES = 12          # processes the picture's key names; the rest are only colours
    MARK_OFFSET = 0.42              # wakes above the bar, CR3 writes below (the y axis points down)
    # chrome://tracing's reserved colour names, and RGB colours for the picture, one per process.
    ncnames = split("thread_state_runnable rail_animation thread_state_running rail_idle " \
                    "detailed_memory_dump background_memory_dump olive startup bad rail_load", cnames, " ")
    ncolors = split("#4e79a7 #e15759 #59a14f #f28e2b #b07aa1 #76b7b2 #edc948 #ff9da7 #9c755f #86bc86",
                    colors, " ")
    IDLE_CNAME = "generic_work"
    IDLE_COLOR = "#d0d0d0"
    hz = 0; nslices = 0; nmarks = 0; nprocs = 0; ncpus = 0; have_t0 = 0
}

$1 == "trace:" && $2 == "tsc_hz" { hz = $3; next }
$1 == "trace:" { next }
$1 == "thread" { table_name[$3] = $4; next }        # thread TID PID NAME: alive at the end
$1 ~ /^[0-9]+$/ && NF >= 4 { event(); next }

# The program process pid ran last, as far as the trace knows.
function name_of(pid) {
    if (pid in pname) return pname[pid]
    if (pid in table_name) return table_name[pid]
    return pid == 0 ? "kernel" : "pid " pid
}

function us_of(tsc) {
    if (!have_t0) { t0 = tsc; have_t0 = 1 }
    return (tsc - t0) / (hz / 1000000)
}

function json_string(s) {
    gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s)
    return "\"" s "\""
}

# Record the slice CPU cpu ran until t, if it lasted.
function end_slice(cpu, t) {
    if (!(cpu in cur) || t <= start[cpu]) return
    nslices++
    sl_cpu[nslices] = cpu; sl_s[nslices] = start[cpu]; sl_e[nslices] = t
    sl_tid[nslices] = cur[cpu]; sl_pid[nslices] = curpid[cpu]
    sl_prog[nslices] = name_of(curpid[cpu])
    if (!(curpid[cpu] in proc_index)) {
        proc_index[curpid[cpu]] = nprocs; proc_pid[nprocs] = curpid[cpu]; nprocs++
    }
    if (!((curpid[cpu], cur[cpu]) in thread_seen)) {
        thread_seen[curpid[cpu], cur[cpu]] = 1; nthreads++
        thr_pid[nthreads] = curpid[cpu]; thr_tid[nthreads] = cur[cpu]
    }
}

function mark(cpu, t, kind, name, args) {
    nmarks++
    mk_cpu[nmarks] = cpu; mk_t[nmarks] = t; mk_kind[nmarks] = kind
    mk_name[nmarks] = name; mk_args[nmarks] = args
}

# One event line: TSC CPU SEQ TYPE ids... words...
function event(    t, cpu, type) {
    if (hz <= 0) { print "trace.awk: no 'trace: tsc_hz' line before the events" > "/dev/stderr"; failed = 1; exit 1 }
    t = us_of($1); cpu = $2; type = $4
    if (!(cpu in seen_cpu)) { seen_cpu[cpu] = 1; cpu_list[ncpus++] = cpu; cpu_first[cpu] = t }
    last_t = t
    if (type == "switch") {
        if (!(cpu in cur)) { cur[cpu] = $5; curpid[cpu] = $6; start[cpu] = cpu_first[cpu] }
        end_slice(cpu, t)
        cur[cpu] = $7; curpid[cpu] = $8; start[cpu] = t
    } else if (type == "wake") {
        mark(cpu, t, "wake", "wake " $5, "\"tid\":" $5 ",\"pid\":" $6 ",\"by_tid\":" $7 ",\"by_pid\":" $8 \
             ",\"why\":" json_string($9))
    } else if (type == "cr3") {
        mark(cpu, t, "cr3 " $6, "cr3 " $6, "\"pcid\":" $5 ",\"root_page\":" json_string($7))
    } else if (type == "new") {
        if ($9 == "process" && !($6 in pname)) pname[$6] = name_of($8)     # a fork: the parent's program
        mark(cpu, t, "new", "new " $9 " " $5, "\"tid\":" $5 ",\"pid\":" $6 ",\"by_tid\":" $7 ",\"by_pid\":" $8)
    } else if (type == "exec") {
        pname[$5] = $6
        mark(cpu, t, "exec", "exec " $6, "\"pid\":" $5 ",\"program\":" json_string($6))
    } else {
        mark(cpu, t, type, type, "\"ids\":" json_string($5 " " $6 " " $7 " " $8))
    }
}

function process_title(pid) {
    return pid == 0 ? "kernel (idle)" : name_of(pid) " (pid " pid ")"
}

function slice_name(i) {
    return (sl_tid[i] == 0 && sl_pid[i] == 0) ? "idle" : sl_prog[i] " " sl_tid[i]
}

function cname_of(pid) {
    return pid == 0 ? IDLE_CNAME : cnames[proc_index[pid] % ncnames + 1]
}

function color_of(pid) {
    return pid == 0 ? IDLE_COLOR : colors[proc_index[pid] % ncolors + 1]
}

function json_event(line) {
    printf("%s\n%s", (njson++ ? "," : ""), line) > json
}

function json_meta(what, pid, tid, key, value) {
    json_event("{\"ph\":\"M\",\"name\":\"" what "\",\"pid\":" pid (tid == "" ? "" : ",\"tid\":" tid) \
               ",\"args\":{\"" key "\":" value "}}")
}

# Every slice twice: on its CPU's lane, and on its thread's lane under its process.
function write_json(    i, k, x, common) {
    printf("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"source\":\"os scheduler trace\",\"tsc_hz\":%.0f},\n",
           hz) > json
    printf "\"traceEvents\":[" > json
    json_meta("process_name", CPU_LANES_PID, "", "name", "\"CPUs\"")
    json_meta("process_sort_index", CPU_LANES_PID, "", "sort_index", -1)
    for (k = 0; k < ncpus; k++) {
        json_meta("thread_name", CPU_LANES_PID, CPU_LANES_PID + cpu_list[k], "name", "\"CPU " cpu_list[k] "\"")
        json_meta("thread_sort_index", CPU_LANES_PID, CPU_LANES_PID + cpu_list[k], "sort_index", cpu_list[k])
    }
    for (k = 0; k < nprocs; k++)
        json_meta("process_name", proc_pid[k], "", "name", json_string(process_title(proc_pid[k])))
    for (k = 1; k <= nthreads; k++)
        json_meta("thread_name", thr_pid[k], thr_tid[k], "name",
                  json_string(thr_pid[k] == 0 && thr_tid[k] == 0 ? "idle" : "tid " thr_tid[k]))
    for (i = 1; i <= nslices; i++) {
        common = sprintf("\"ph\":\"X\",\"cat\":\"run\",\"name\":%s,\"ts\":%.3f,\"dur\":%.3f,\"cname\":\"%s\"",
                         json_string(slice_name(i)), sl_s[i], sl_e[i] - sl_s[i], cname_of(sl_pid[i]))
        x = sprintf(",\"args\":{\"cpu\":%d,\"pid\":%d,\"tid\":%d,\"program\":%s}}", sl_cpu[i], sl_pid[i],
                    sl_tid[i], json_string(sl_prog[i]))
        json_event("{" common ",\"pid\":" CPU_LANES_PID ",\"tid\":" CPU_LANES_PID + sl_cpu[i] x)
        json_event("{" common ",\"pid\":" sl_pid[i] ",\"tid\":" sl_tid[i] x)
    }
    for (i = 1; i <= nmarks; i++)
        json_event(sprintf("{\"ph\":\"i\",\"s\":\"t\",\"cat\":%s,\"name\":%s,\"ts\":%.3f,\"pid\":%d,\"tid\":%d," \
                           "\"args\":{%s}}", json_string(mk_kind[i]), json_string(mk_name[i]), mk_t[i],
                           CPU_LANES_PID, CPU_LANES_PID + mk_cpu[i], mk_args[i]))
    printf("\n]}\n") > json
}

# The bars, one block per process (gnuplot's "index"), in ms; the labels; the marks.
function write_plot_data(    i, k, ms, span, wide) {
    span = last_t > 0 ? last_t : 1
    for (k = 0; k < nprocs; k++) {
        for (i = 1; i <= nslices; i++)
            if (sl_pid[i] == proc_pid[k])
                printf("%.6f %s %.6f %s\n", (sl_s[i] + sl_e[i]) / 2 / US_PER_MS, sl_cpu[i],
                       (sl_e[i] - sl_s[i]) / 2 / US_PER_MS, BAR_HALF) > dat
        printf "\n\n" > dat
    }
    nlabels = 0
    for (i = 1; i <= nslices; i++) {
        wide = (sl_e[i] - sl_s[i]) / span >= LABEL_MIN_FRACTION
        if (!wide) continue
        printf("%.6f %s \"%s\"\n", (sl_s[i] + sl_e[i]) / 2 / US_PER_MS, sl_cpu[i],
               (sl_pid[i] == 0 && sl_tid[i] == 0) ? "idle" : sl_tid[i]) > labels
        nlabels++
    }
    if (!nlabels) printf "0 -10 \"\"\n" > labels            # off the picture: gnuplot wants a point
    wake_file = marks "-wake"; flush_file = marks "-flush"; keep_file = marks "-noflush"
    for (i = 1; i <= nmarks; i++) {
        if (mk_kind[i] == "wake")
            nwake += mark_point(wake_file, i, -MARK_OFFSET)
        else if (mk_kind[i] == "cr3 flush")
            nflush += mark_point(flush_file, i, MARK_OFFSET)
        else if (mk_kind[i] == "cr3 noflush")
            nkeep += mark_point(keep_file, i, MARK_OFFSET)
    }
}

# Mark i as a point in file, off its lane's middle by offset; returns 1.
function mark_point(file, i, offset) {
    printf("%.6f %.2f\n", mk_t[i] / US_PER_MS, mk_cpu[i] + offset) > file
    return 1
}

# One lane per CPU: bars coloured by process, labelled by tid; wakes above, CR3 writes below.
function write_plot_script(    k, maxcpu, sep, ytics) {
    maxcpu = 0; ytics = ""
    for (k = 0; k < ncpus; k++) {
        if (cpu_list[k] + 0 > maxcpu) maxcpu = cpu_list[k] + 0
        ytics = ytics (k ? ", " : "") "\"CPU " cpu_list[k] "\" " cpu_list[k]
    }
    print "set terminal pngcairo size 1400," (260 + 90 * (maxcpu + 1)) " noenhanced font ',10'" > gp
    print "set output '" png "'" > gp
    print "set title " json_string(title) " . \"\\nbar: a thread running, coloured by process, labelled by tid" \
          (nprocs > KEY_MAX_PROCESSES ? "; " nprocs " processes, the key names the first " KEY_MAX_PROCESSES : "") \
          "\"" > gp
    print "set xlabel 'time (ms) from the first event'" > gp
    print "set xrange [0:" sprintf("%.6f", last_t / US_PER_MS) "]" > gp
    print "set yrange [" maxcpu + 0.7 ":-0.7]" > gp                 # CPU 0 on top
    print "set ytics (" ytics ")" > gp
    print "set grid xtics" > gp
    print "set key below horizontal" > gp
    print "set style fill solid 0.9 " (nslices > BORDER_MAX_SLICES ? "noborder" : "border rgb '#404040'") > gp
    printf "plot " > gp
    sep = ""
    for (k = 0; k < nprocs; k++) {
        printf("%s'%s' index %d using 1:2:3:4 with boxxyerror fc rgb '%s' %s", sep, dat, k, color_of(proc_pid[k]),
               k < KEY_MAX_PROCESSES ? "title " json_string(process_title(proc_pid[k])) : "notitle") > gp
        sep = ", \\\n     "
    }
    printf("%s'%s' using 1:2:3 with labels font ',8' notitle", sep, labels) > gp
    if (nwake) printf("%s'%s' using 1:2 with points pt 11 ps 0.9 lc rgb '#2060c0' title 'wake'", sep, wake_file) > gp
    if (nflush) printf("%s'%s' using 1:2 with points pt 9 ps 0.9 lc rgb '#c02020' title 'CR3 write, TLB flushed'",
                       sep, flush_file) > gp
    if (nkeep) printf("%s'%s' using 1:2 with points pt 9 ps 0.9 lc rgb '#20a020' title 'CR3 write, TLB kept (PCID)'",
                      sep, keep_file) > gp
    print "" > gp
}

END {
    if (failed) exit 1
    if (hz <= 0 || !have_t0) { print "trace.awk: no events in the dump" > "/dev/stderr"; exit 1 }
    for (k = 0; k < ncpus; k++) end_slice(cpu_list[k], last_t)
    write_json()
    write_plot_data()
    write_plot_script()
    printf "trace.awk: %d CPU(s), %d slices, %d other events, %.3f ms\n", ncpus, nslices, nmarks,
           last_t / US_PER_MS > "/dev/stderr"
}
