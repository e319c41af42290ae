"""Sweeps of many settings at once, past one machine: a grid of runs trained in batches, in
this process or on Dask workers (`netsim-sweep`, netsim/grid/cli.py).

    grid_file.py    the grid file, and its expansion into runs with their keys
    plan.py         the runs as tasks: batches of runs trained together, planned the same
                    wherever they run
    task.py         what a worker does with a task: train it, measure every run
    executors.py    in this process, or on Dask (a local cluster or one by address)
    table_file.py   CSV tables that grow by whole rows, and their Parquet copies
    results.py      the results table: one row per run, resume, reading it back
    curves.py       the optional curves table
    summary.py      per setting: mean and spread over seeds
    plot.py         the summary as a PNG (matplotlib, no Qt)
"""
