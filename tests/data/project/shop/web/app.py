"""A Flask app with an application-wide handler for DB errors."""
import flask
from sqlalchemy.exc import SQLAlchemyError

app = flask.Flask(__name__)


@app.errorhandler(SQLAlchemyError)
def db_error(error):
    return {"error": "database"}, 503
