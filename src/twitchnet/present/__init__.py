"""Layer: text, HTML, plots, the widget, the interview and the command line."""
