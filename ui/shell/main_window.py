"""The main window: composes the toolbar, the network view (centre), the output view, the
settings panels and the charts (docks), the menus and the status bar, and wires them to the
TrainingController. It holds little logic of its own.

For other parts of the application:
  window.controller                 the TrainingController
  window.menus["file" | "train" | "view" | "lessons" | "help"]   QMenus to add actions to
  window.add_dock(title, widget, area)                          a dock listed in the View menu
"""
import time

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QGroupBox, QMainWindow, QMessageBox, QScrollArea,
                               QVBoxLayout, QWidget)

from ui import colors
from ui.charts.charts_panel import ChartsPanel
from ui.controller import TrainingController
from ui.network.network_view import NetworkView
from ui.output.output_view import OutputView
from ui.panels.data import DataPanel
from ui.panels.network import NetworkPanel
from ui.panels.training import TrainingPanel
from ui.shell import notices
from ui.shell.toolbar import TrainingToolbar

DEFAULT_SIZE = (1400, 900)
STATUS_MS = 10000
SETTINGS_WIDTH = 300
ABOUT_TEXT = """<h3>NetSim</h3>
<p>Build a multilayer perceptron, watch every weight learn, steer it while it trains.</p>
<p>Bundled data sets, from the UCI Machine Learning Repository (CC BY 4.0):</p>
<ul>
<li><b>Iris</b> — R. A. Fisher (1936), <i>The use of multiple measurements in taxonomic
problems</i>.</li>
<li><b>Wine</b> — M. Forina et al., PARVUS, Institute of Pharmaceutical and Food Analysis and
Technologies, Genoa.</li>
<li><b>Digits</b> (optical recognition of handwritten digits) — E. Alpaydin and C. Kaynak
(1998).</li>
</ul>"""


class MainWindow(QMainWindow):
    def __init__(self, controller: TrainingController | None = None,
                 settings: QSettings | None = None):
        """settings: where the layout and palette are remembered; None remembers nothing."""
        super().__init__()
        self.setWindowTitle("NetSim")
        self.controller = controller or TrainingController(parent=self)
        self.settings = settings
        self.menus = {}
        self.docks: dict[str, QDockWidget] = {}
        self._build_views()
        self._build_menus()
        self._connect()
        self.resize(*DEFAULT_SIZE)
        self._default_state = self.saveState()
        self._restore_settings()
        self._show_everything()

    # ---- composition ----------------------------------------------------------------------

    def _build_views(self):
        self.toolbar = TrainingToolbar(self)
        self.addToolBar(Qt.TopToolBarArea, self.toolbar)
        self.network_view = NetworkView()
        self.setCentralWidget(self.network_view)
        self.data_panel, self.network_panel = DataPanel(), NetworkPanel()
        self.training_panel = TrainingPanel()
        self.panels = (self.data_panel, self.network_panel, self.training_panel)
        self.add_dock("Settings", self._settings_column(), Qt.LeftDockWidgetArea)
        self.output_view = OutputView()
        self.add_dock("Output", self.output_view, Qt.RightDockWidgetArea)
        self.charts = ChartsPanel()
        self.add_dock("Charts", self.charts, Qt.RightDockWidgetArea)
        self.resizeDocks([self.docks["Settings"], self.docks["Output"]], [SETTINGS_WIDTH, 420],
                         Qt.Horizontal)
        self.resizeDocks([self.docks["Output"], self.docks["Charts"]], [470, 330], Qt.Vertical)
        self.statusBar().showMessage("Press Space to train, S to take one step.")

    def _settings_column(self) -> QWidget:
        column = QWidget()
        layout = QVBoxLayout(column)
        for title, panel in (("Data", self.data_panel), ("Network", self.network_panel),
                             ("Training", self.training_panel)):
            group = QGroupBox(title)
            QVBoxLayout(group).addWidget(panel)
            layout.addWidget(group)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        # the settings are taller than a small window: room for the scroll bar beside them,
        # which would otherwise take its width from the panels and cut their right edge
        scroll.setMinimumWidth(max(SETTINGS_WIDTH, column.minimumSizeHint().width()
                                   + scroll.verticalScrollBar().sizeHint().width() + 2))
        return scroll

    def add_dock(self, title: str, widget: QWidget, area=Qt.RightDockWidgetArea) -> QDockWidget:
        """Put `widget` in a dock (remembered in the layout, toggled from the View menu)."""
        dock = QDockWidget(title, self)
        dock.setObjectName(f"dock_{title.lower().replace(' ', '_')}")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        # later panels become tabs beside the settings (left) or the charts (right), so the
        # first view of the window stays uncluttered; their menus and tabs make them found
        neighbour = self.docks.get({Qt.LeftDockWidgetArea: "Settings",
                                    Qt.RightDockWidgetArea: "Charts"}.get(area, ""))
        if neighbour is not None:
            self.tabifyDockWidget(neighbour, dock)
            neighbour.raise_()
        self.restoreDockWidget(dock)          # a dock added later still gets its saved place
        self.docks[title] = dock
        view_menu = self.menus.get("view")
        if view_menu is not None:
            view_menu.insertAction(self._docks_end, dock.toggleViewAction())
        return dock

    def _build_menus(self):
        bar = self.menuBar()
        for key, title in (("file", "&File"), ("train", "&Train"), ("view", "&View"),
                           ("lessons", "&Lessons"), ("help", "&Help")):
            self.menus[key] = bar.addMenu(title)
        self._build_file_menu()
        for name in ("reset", "step", "epoch", "play"):
            self.menus["train"].addAction(self.toolbar.actions_by_name[name])
        self._build_view_menu()
        about = self.menus["help"].addAction("&About NetSim")
        about.triggered.connect(lambda: QMessageBox.about(self, "About NetSim", ABOUT_TEXT))

    def _build_file_menu(self):
        menu = self.menus["file"]
        self.open_csv_action = menu.addAction("Open &CSV…")
        self.open_csv_action.triggered.connect(self.data_panel.open_csv)
        menu.addSeparator()
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.Quit)
        self.quit_action.triggered.connect(self.close)
        menu.addAction(self.quit_action)
        menu.aboutToShow.connect(self._keep_quit_last)

    def _keep_quit_last(self):
        """Others add to the File menu after it is built; Quit stays at its end."""
        menu = self.menus["file"]
        if menu.actions()[-1] is not self.quit_action:
            menu.removeAction(self.quit_action)
            menu.addSeparator()
            menu.addAction(self.quit_action)

    def _build_view_menu(self):
        menu = self.menus["view"]
        self._docks_end = menu.addSeparator()
        for dock in self.docks.values():
            menu.insertAction(self._docks_end, dock.toggleViewAction())
        self.show_test_action = menu.addAction("Show &test data")
        self.show_test_action.setCheckable(True)
        self.show_test_action.toggled.connect(self.output_view.show_test.setChecked)
        self.output_view.show_test.toggled.connect(self.show_test_action.setChecked)
        self.discretize_action = menu.addAction("&Discretize output")
        self.discretize_action.setCheckable(True)
        self.discretize_action.toggled.connect(self.output_view.discretize.setChecked)
        self.output_view.discretize.toggled.connect(self.discretize_action.setChecked)
        menu.addSeparator()
        palette_menu = menu.addMenu("&Colours")
        self.palette_actions = QActionGroup(self)
        for name, palette in colors.PALETTES.items():
            action = palette_menu.addAction(palette.title)
            action.setCheckable(True)
            action.setChecked(name == colors.palette_name())
            action.setData(name)
            self.palette_actions.addAction(action)
        self.palette_actions.triggered.connect(lambda a: self.set_palette(a.data()))
        menu.addSeparator()
        menu.addAction("&Reset layout", self.reset_layout)

    def _connect(self):
        c = self.controller
        c.snapshot_ready.connect(self._on_snapshot)
        c.history_ready.connect(self.charts.show_history)
        c.data_changed.connect(lambda d: self.output_view.set_dataset(d, c.plane_axes))
        c.config_changed.connect(self._show_config)
        c.running_changed.connect(self.toolbar.show_running)
        c.running_changed.connect(self.output_view.show_running)
        c.rate_changed.connect(self.toolbar.show_rate)
        c.status.connect(lambda text: self.statusBar().showMessage(text, STATUS_MS))
        c.error.connect(lambda text: self.notify("Not changed", text))
        c.diverged.connect(lambda text: self.notify("Training diverged", text))
        actions = self.toolbar.actions_by_name
        actions["reset"].triggered.connect(c.reset)
        actions["step"].triggered.connect(self._on_step)
        actions["epoch"].triggered.connect(self._on_epoch)
        actions["play"].triggered.connect(lambda _checked: c.toggle())
        self.toolbar.speed_changed.connect(c.set_speed)
        for panel in self.panels:
            panel.changes_requested.connect(lambda changes: c.update_config(**changes))
        self.network_view.weight_edited.connect(c.set_weight)
        self.network_view.bias_edited.connect(c.set_bias)
        self.network_view.layers_changed.connect(lambda layers: c.update_config(layers=layers))
        self.network_view.activation_chosen.connect(lambda name: c.update_config(activation=name))
        c.running_changed.connect(self.network_view.show_running)
        self.network_view.neuron_hovered.connect(self.output_view.show_neuron)
        self.output_view.axes_chosen.connect(c.set_plane_axes)

    def _show_everything(self):
        c = self.controller
        self.output_view.set_dataset(c.dataset, c.plane_axes)
        self._show_config(c.config)
        c.publish()

    # ---- reactions ------------------------------------------------------------------------

    def _on_snapshot(self, snapshot):
        self.network_view.show_snapshot(snapshot)
        self.output_view.show_snapshot(snapshot)
        self.charts.show_snapshot(snapshot)
        self.toolbar.show_snapshot(snapshot)

    def _show_config(self, config):
        for panel in self.panels:
            panel.show_config(config, self.controller.dataset)

    def _on_step(self):
        self.controller.pause()          # a single step is for looking closely
        self.controller.step()

    def _on_epoch(self):
        self.controller.pause()
        self.controller.epoch()

    def notify(self, title: str, text: str):
        """A message that does not block: the status bar and a non-modal notice."""
        self.statusBar().showMessage(text, STATUS_MS)
        notices.show_notice(self, title, text)

    def set_palette(self, name: str):
        colors.set_palette(name)
        for action in self.palette_actions.actions():
            action.setChecked(action.data() == name)
        self.output_view.refresh_colors()
        self.charts.refresh_colors()
        self.controller.publish()

    # ---- layout memory --------------------------------------------------------------------

    def reset_layout(self):
        for dock in self.docks.values():
            dock.setFloating(False)
            dock.show()
        self.restoreState(self._default_state)
        self.resize(*DEFAULT_SIZE)

    def _restore_settings(self):
        if self.settings is None:
            return
        geometry, state = self.settings.value("geometry"), self.settings.value("state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        if isinstance(state, QByteArray):
            self.restoreState(state)
        palette = self.settings.value("palette")
        if palette in colors.PALETTES:
            self.set_palette(palette)

    def save_settings(self):
        if self.settings is None:
            return
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("state", self.saveState())
        self.settings.setValue("palette", colors.palette_name())
        self.settings.sync()

    def event(self, event):
        """Time the window's repaints (Qt paints dirty widgets on UpdateRequest) so the
        controller can pace its frames."""
        if event.type() != QEvent.UpdateRequest:
            return super().event(event)
        start = time.perf_counter()
        handled = super().event(event)
        self.controller.note_paint_cost(time.perf_counter() - start)
        return handled

    def closeEvent(self, event):
        self.controller.pause()
        self.save_settings()
        super().closeEvent(event)
