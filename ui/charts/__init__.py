"""Charts of a run: ChartsPanel (charts_panel.py) holds one tab per chart."""
