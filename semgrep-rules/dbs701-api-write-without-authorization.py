"""Fixture for DBS701: an API request handler updates or deletes records with
no authorization check before it (opt-in: --extend-select DBS701)."""

import flask
import pecan
import sqlalchemy as sa
from fastapi import APIRouter, Depends, FastAPI
from flask import abort
from flask.views import MethodView
from flask_appbuilder.security.decorators import has_access_api
from flask_login import current_user, login_required
from oslo_policy import policy
from rest_framework import viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from sqlalchemy import delete, update

from myapp import models, wsgi, wsgi_wrapper
from myapp.extensions import db

app = flask.Flask(__name__)
bp = flask.Blueprint("items", __name__)
router = APIRouter()
api = FastAPI()


# --- Flask -----------------------------------------------------------------------


@app.route("/items/<int:item_id>", methods=["DELETE"])
def delete_item(item_id):
    # ruleid: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Item).where(models.Item.id == item_id))
    db.session.commit()
    return "", 204


@bp.delete("/items/<int:item_id>")
@login_required
def delete_item_logged_in(item_id):
    # ok: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Item).where(models.Item.id == item_id))
    return "", 204


def user_login_required(func):
    """The project's own login decorator (calibre-web's user_login_required)."""
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        return func(*args, **kwargs)
    return wrapper


@bp.post("/items/<int:item_id>/hide")
@user_login_required
def hide_item(item_id):
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=item_id).update({"hidden": True})
    return "", 204


@bp.delete("/workouts/<int:workout_id>")
@oauth.require_auth("workouts:write")
def delete_workout(workout_id):
    # fittrackee's require_auth and pgAdmin's pga_login_required are defined
    # elsewhere (an authlib protector, a wrapper of flask_login's decorator):
    # their names say what they check
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=workout_id).delete()
    return "", 204


@bp.delete("/servers/<int:sid>")
@pga_login_required
def delete_server(sid):
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=sid).delete()
    return "", 204


@bp.delete("/machinetokens/<int:mid>")
@prepolicy(check_base_action, request, "machinetokens")
def detach_machine_token(mid):
    # privacyidea: the policy check runs before the handler and raises
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=mid).delete()
    return "", 204


@bp.delete("/audit/<int:aid>")
@postpolicy(sign_response, request)
def delete_audit_entry(aid):
    # a policy applied to the response, after the write, authorizes nothing
    # ruleid: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=aid).delete()
    return "", 204


@bp.delete("/cache/<int:cid>")
@cache_required
def drop_cache_entry(cid):
    # a decorator named for something else checks nothing
    # ruleid: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=cid).delete()
    return "", 204


@bp.post("/items/<int:item_id>/drop")
@wsgi.admin_required
def drop_item(item_id):
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=item_id).delete()
    return "", 204


@app.route("/items/<int:item_id>/rename", methods=["POST"])
@has_access_api
def rename_item(item_id):
    # Flask-AppBuilder's role permission check
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=item_id).update({"name": "x"})
    return "", 204


@bp.post("/items/<int:item_id>/reset")
def reset_item(item_id):
    if not (flask.g.auth.current_user().is_authenticated or flask.g.allow_anonymous):
        abort(404)
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=item_id).update({"hits": 0})
    return "", 204


@app.route("/items/<int:item_id>/archive", methods=["POST"])
def archive_item(item_id):
    if not current_user.is_admin:
        abort(403)
    # ok: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=item_id).update({"archived": True})
    return "", 204


@app.route("/items/<int:item_id>/purge", methods=["POST"])
def purge_item(item_id):
    # a check after the write does not count
    # ruleid: dbs701-api-write-without-authorization
    db.session.query(models.Item).filter_by(id=item_id).delete()
    if not current_user.is_admin:
        abort(403)
    return "", 204


@app.route("/items/<int:item_id>", methods=["GET"])
def show_item(item_id):
    # a read-only handler
    # ok: dbs701-api-write-without-authorization
    return db.session.execute(sa.select(models.Item).where(models.Item.id == item_id)).one()


@app.route("/items/<int:item_id>/forget", methods=["POST"])
def forget_item(item_id):
    item = db.session.get(models.Item, item_id)
    # todoruleid: dbs701-api-write-without-authorization
    db.session.delete(item)
    db.session.commit()
    return "", 204


class ItemView(MethodView):
    decorators = [login_required]

    def delete(self, item_id):
        # ok: dbs701-api-write-without-authorization
        db.session.query(models.Item).filter_by(id=item_id).delete()
        return "", 204


class OpenItemView(MethodView):
    def delete(self, item_id):
        # ruleid: dbs701-api-write-without-authorization
        db.session.query(models.Item).filter_by(id=item_id).delete()
        return "", 204

    def purge_later(self, item_id):
        # A function nested in a method that is not a handler: the pack takes
        # the class base and the method name as two separate tests (one
        # pattern holding both was quadratic in the class), so a nested def
        # named like an HTTP method passes for a handler.
        def delete():
            # todook: dbs701-api-write-without-authorization
            db.session.query(models.Item).filter_by(id=item_id).delete()

        return delete


# --- FastAPI -----------------------------------------------------------------------


def get_current_user():
    return None


def require_admin():
    return None


@router.delete("/things/{thing_id}")
def delete_thing(thing_id: int):
    # ruleid: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Thing).where(models.Thing.id == thing_id))


@router.delete("/owned/{thing_id}")
def delete_owned(thing_id: int, user=Depends(get_current_user)):
    # ok: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Thing).where(models.Thing.id == thing_id))


@router.delete("/chats/{chat_id}")
def delete_chat(chat_id: str, user=Depends(get_verified_user)):
    # open-webui's dependency: a verified user
    # ok: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Thing).where(models.Thing.id == chat_id))


@api.put("/things/{thing_id}", dependencies=[Depends(require_admin)])
def rename_thing(thing_id: int, name: str):
    # ok: dbs701-api-write-without-authorization
    db.session.execute(update(models.Thing).where(models.Thing.id == thing_id).values(name=name))


# --- Django REST framework --------------------------------------------------------


class ThingViewSet(viewsets.ModelViewSet):
    permission_classes = [AllowAny]

    def destroy(self, request, pk=None):
        # todoruleid: dbs701-api-write-without-authorization
        db.session.execute(delete(models.Thing).where(models.Thing.id == pk))

    def retrieve(self, request, pk=None):
        # AllowAny on a read: nothing to report
        # ok: dbs701-api-write-without-authorization
        return db.session.execute(sa.select(models.Thing).where(models.Thing.id == pk)).one()


class GuardedViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated]

    def destroy(self, request, pk=None):
        # ok: dbs701-api-write-without-authorization
        db.session.execute(delete(models.Thing).where(models.Thing.id == pk))


# --- Pecan ------------------------------------------------------------------------


class ZonesController(pecan.rest.RestController):
    @pecan.expose("json")
    def delete(self, zone_id):
        # ruleid: dbs701-api-write-without-authorization
        db.session.execute(delete(models.Zone).where(models.Zone.id == zone_id))

    @pecan.expose("json")
    def put(self, zone_id, name):
        policy.authorize("zone:update", {}, {})
        # ok: dbs701-api-write-without-authorization
        db.session.execute(update(models.Zone).where(models.Zone.id == zone_id).values(name=name))


# --- OpenStack WSGI controllers and placement-style handlers ----------------------


def delete_consumers_if_no_allocations(ctx, consumer_uuids):
    """A project function that performs a DELETE (the project model sees it)."""
    stmt = delete(models.Consumer).where(models.Consumer.uuid.in_(consumer_uuids))
    ctx.session.execute(stmt)


def _authorize_delete(context):
    context.can("consumer:delete")


class ConsumersController(wsgi.Controller):
    def delete(self, req, id):
        context = req.environ["nova.context"]
        context.can("os_compute_api:consumers:delete")
        # ok: dbs701-api-write-without-authorization
        delete_consumers_if_no_allocations(context, [id])

    def purge(self, req, id):
        context = req.environ["nova.context"]
        # todoruleid: dbs701-api-write-without-authorization
        delete_consumers_if_no_allocations(context, [id])

    def _helper(self, context, id):
        # not a handler: a private method of the controller
        # ok: dbs701-api-write-without-authorization
        delete_consumers_if_no_allocations(context, [id])


@wsgi_wrapper.PlacementWsgify
def delete_allocations(req):
    context = req.environ["placement.context"]
    consumer_uuid = req.environ["consumer_uuid"]
    # todoruleid: dbs701-api-write-without-authorization
    delete_consumers_if_no_allocations(context, [consumer_uuid])


@wsgi_wrapper.PlacementWsgify
def delete_allocations_checked(req):
    context = req.environ["placement.context"]
    # the check is made in a helper the project model resolves
    _authorize_delete(context)
    # ok: dbs701-api-write-without-authorization
    delete_consumers_if_no_allocations(context, [req.environ["consumer_uuid"]])


@wsgi_wrapper.PlacementWsgify
def update_consumer(req):
    context = req.environ["placement.context"]

    def _update_in_db(ctx):
        # reported where the handler calls it, not inside the nested function
        # todook: dbs701-api-write-without-authorization
        ctx.session.execute(update(models.Consumer).where(models.Consumer.id == 1).values(a=1))

    # todoruleid: dbs701-api-write-without-authorization
    _update_in_db(context)


# --- security dependencies and checks known by name (FastAPI) ----------------------

from typing import Annotated  # noqa: E402

ADMIN_ONLY = [Depends(require_admin)]
CurrentUser = Annotated[dict, Depends(get_current_user)]


@router.delete("/admin/things/{thing_id}", dependencies=ADMIN_ONLY)
def delete_thing_admin(thing_id: int):
    # todook: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Thing).where(models.Thing.id == thing_id))


@router.delete("/mine/{thing_id}")
def delete_mine(thing_id: int, user: CurrentUser):
    # todook: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Thing).where(models.Thing.id == thing_id))


@router.delete("/gated/{thing_id}")
def delete_gated(thing_id: int, user=None):
    ensure_project_admin(user)
    # todook: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Thing).where(models.Thing.id == thing_id))


@router.get("/oauth/callback")
def oauth_callback(state: str):
    # a nonce check is not authorization evidence the rule knows
    # ruleid: dbs701-api-write-without-authorization
    db.session.execute(delete(models.Nonce).where(models.Nonce.id == state))
