"""What a judged run leaves for machines and people: report.json (with its integrity
hash), junit.xml, report.html with charts, the time series behind them, the comparison
page, and the read model file `serve --db` serves."""
