from .api import create_order, purge_orders  # re-exported: callers use shop.db.create_order
