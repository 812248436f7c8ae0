"""The Touraine demo as an app of its own: `meute demo_load` loads it, `meute demo_accounts` lists its accounts.

It sits above every other app (it fills them all) and none imports it.

- :mod:`.data` — the networks, trades and demo accounts;
- :mod:`.loader` — people, companies, networks and memberships (:func:`~.loader.demo_load`);
- :mod:`.life` — the networks' life: meetings, attendance, a speed meeting, dues, barometer.
"""
