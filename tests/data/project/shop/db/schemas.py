"""SQLModel tables: ``Field(primary_key=True)`` declares the key, ``col()``
hands the column back typed."""
from typing import Optional
from uuid import UUID, uuid4

from sqlmodel import Field, SQLModel, col, delete, update


class BaseSchema(SQLModel):
    id: UUID = Field(default_factory=uuid4, primary_key=True)


class ApiTransactionSchema(BaseSchema, table=True):
    __tablename__ = "api_transaction"
    method: str
    completed: Optional[bool] = None


class StackCompositionSchema(SQLModel, table=True):
    __tablename__ = "stack_composition"
    stack_id: UUID = Field(primary_key=True)
    component_id: UUID = Field(primary_key=True)


def delete_transaction(session, transaction_id):
    # the primary key, through col()
    # ruleid: dbs101-db-write-without-error-handling, dbs303-delete-rowcount-unchecked
    session.execute(delete(ApiTransactionSchema).where(col(ApiTransactionSchema.id) == transaction_id))


def complete_transactions(session, ids):
    # ruleid: dbs101-db-write-without-error-handling, dbs301-update-rowcount-unchecked
    session.execute(update(ApiTransactionSchema).where(col(ApiTransactionSchema.id).in_(ids)).values(completed=True))


def replace_compositions(session, stack):
    # half of the composite key: a bulk DELETE
    # ruleid: dbs101-db-write-without-error-handling, dbs304-bulk-rowcount-unchecked
    session.execute(delete(StackCompositionSchema).where(col(StackCompositionSchema.stack_id) == stack.id))
