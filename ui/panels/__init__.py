"""The panels beside the network: one widget per group of settings (data.py, network.py,
training.py), the lesson panel (lessons_panel.py) and the Compare dock's sweeps
(sweep_panel.py).

Each settings panel emits `changes_requested(dict)` (Config field names -> new values) and
shows the settings in force with `show_config(config, dataset)`, its widgets' signals blocked,
so showing a config never requests a change. Each opens alone for quick visual work:
`python -m ui.panels.training`.
"""
