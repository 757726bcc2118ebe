from .api import create_order, purge_orders  # re-exported: callers use shop.db.create_order
from .models import SessionFactory as new_session  # a factory re-exported under another name
