"""Models and the session proxy: keys and sessions the project model learns."""
import sqlalchemy as sa
from neutron_lib.db import model_base
from sqlalchemy import orm

Base = orm.declarative_base()
engine = sa.create_engine("sqlite://")
Session = orm.scoped_session(orm.sessionmaker(bind=engine))
SessionFactory = orm.sessionmaker(bind=engine)


class Order(Base):
    __tablename__ = "orders"
    order_no = sa.Column(sa.String(36), primary_key=True)
    customer_id = sa.Column(sa.Integer)
    status = sa.Column(sa.String(16))
    version = sa.Column(sa.Integer)
    __mapper_args__ = {"version_id_col": version}


class Line(Base):
    __tablename__ = "lines"
    order_no = sa.Column(sa.String(36), primary_key=True)
    position = sa.Column(sa.Integer, primary_key=True)
    sku = sa.Column(sa.String(32))
    __table_args__ = (sa.UniqueConstraint("order_no", "sku"),)


class Allocation(Base, model_base.HasId):
    # the primary key ``id`` comes from a mixin outside the project; only the
    # unique column is in sight
    __tablename__ = "allocations"
    slot = sa.Column(sa.Integer, unique=True)
    status = sa.Column(sa.String(16))
