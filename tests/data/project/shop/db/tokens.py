"""API tokens: a row whose __repr__ prints only a prefix of the token, its
finders, and a row that renders its token."""
import sqlalchemy as sa
from sqlalchemy import orm

from shop.db.models import Base


class Hashed:
    prefix_length = 4

    @classmethod
    def find_prefix(cls, db, token):
        prefix_match = db.query(cls).filter_by(prefix=token[: cls.prefix_length])
        prefix_match = prefix_match.filter(cls.revoked.is_(False))
        return prefix_match


class Customer(Base):
    __tablename__ = "customers"
    id = sa.Column(sa.Integer, primary_key=True)
    api_tokens = orm.relationship("ApiToken", back_populates="customer")
    raw_tokens = orm.relationship("RawToken")


class ApiToken(Hashed, Base):
    __tablename__ = "api_tokens"
    id = sa.Column(sa.Integer, primary_key=True)
    prefix = sa.Column(sa.String(16))
    hashed = sa.Column(sa.String(255))
    revoked = sa.Column(sa.Boolean)

    def __repr__(self):
        return f"<{self.__class__.__name__}('{self.prefix}...', id={self.id!r})>"

    @classmethod
    def find(cls, db, token):
        prefix_match = cls.find_prefix(db, token)
        for orm_token in prefix_match:
            if orm_token.match(token):
                return orm_token
        return None

    @classmethod
    def token_of(cls, db, customer):
        return db.query(cls).filter_by(customer=customer).first().hashed


class RawToken(Base):
    __tablename__ = "raw_tokens"
    id = sa.Column(sa.Integer, primary_key=True)
    token = sa.Column(sa.String(255))

    def __repr__(self):
        return f"<RawToken {self.token}>"
