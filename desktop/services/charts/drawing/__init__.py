"""Charts for meetings and print: pure functions that draw data onto a matplotlib Figure.

No pyplot state and no Qt, so the same drawing serves the screen (a QtAgg canvas), the printer,
PDF/PNG/SVG export and the tests. Importing this package costs nothing: matplotlib is imported
only by ``render`` and the chart modules, after ``configure_matplotlib()`` has run
(which must happen before matplotlib's first import in a frozen build).

Modules:
    data: the dataclasses each chart draws (built by ``desktop.services.charts.building``).
    style: fonts, rcParams, colours that survive grey printing, titles and margins.
    trend, ranking, completion, composition, yoy: one ``draw_xxx(fig, data)`` each.
    render: ``new_figure`` and ``draw_chart`` (dispatch on the data's type).
"""
