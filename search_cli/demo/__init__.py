"""Demo and test fixtures: imitation Vietnamese public-sector websites and a loopback server.

`search_cli.demo.server.SiteServer` serves each site under `sites/` on its own 127.0.0.1 port;
`sites/<name>/expected.json` says what a perfect crawl of that site stores. The sites of
`sites_config.RESILIENCE_SITES` inject faults: only the test server serves them as meant
(tests/fixtures/faultserver.py).
"""
