"""The project's sqlite3, with its adapters registered (mapproxy's
mapproxy.util.sqlite3): modules import the driver from here."""
import datetime
import sqlite3


def adapt_date_iso(val):
    return val.isoformat()


sqlite3.register_adapter(datetime.date, adapt_date_iso)
