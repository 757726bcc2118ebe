"""Fixture for DBS501: hard-coded database password (reported at the literal)."""

import os

import aiomysql
import click
import asyncpg
import cx_Oracle
import MySQLdb
import mysql.connector
import oracledb
import psycopg
import psycopg2
import psycopg2 as pg
import pymysql
import pyodbc
import sqlalchemy as sa
from oslo_config import cfg
from psycopg2 import connect as pg_connect
from sqlalchemy import create_engine
from sqlalchemy.engine import URL
from sqlalchemy.engine.url import URL as LegacyURL

CONF = cfg.CONF
host = os.environ.get("DB_HOST", "localhost")

# --- DB URL literals with a password part -------------------------------------

# ruleid: dbs501-hardcoded-db-password
DATABASE_URL = "postgresql://app:hunter2@db.internal/app"

# ruleid: dbs501-hardcoded-db-password
engine = create_engine("mysql+pymysql://root:s3cret@localhost/nova")

app_config = {
    # ruleid: dbs501-hardcoded-db-password
    "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg2://web:Tr0ub4dor@pg:5432/web",
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
}


# ruleid: dbs501-hardcoded-db-password
def make_engine(url="mariadb://admin:letmein@127.0.0.1/shop"):
    return create_engine(url)


database_opts = [
    cfg.StrOpt(
        "connection",
        # ruleid: dbs501-hardcoded-db-password
        default="mysql+pymysql://nova:nova_db_pass@controller/nova",
        secret=True,
    ),
]

# ruleid: dbs501-hardcoded-db-password
cfg.set_defaults(database_opts, connection="oracle+cx_oracle://scott:tiger@orcl:1521/xe")

# ruleid: dbs501-hardcoded-db-password
cache_url = "redis://:cache-pass@cache:6379/0"

# ruleid: dbs501-hardcoded-db-password
mongo_url = "mongodb+srv://reporting:r3p0rt@cluster0.example.net/metrics"

# ruleid: dbs501-hardcoded-db-password
mssql_url = "mssql+pyodbc://sa:Passw0rd!@sqlserver/master?driver=ODBC+Driver+18"

# ruleid: dbs501-hardcoded-db-password
cockroach_url = "cockroachdb://root:crdb@crdb:26257/defaultdb"

# The constant text of an f-string counts.
# ruleid: dbs501-hardcoded-db-password
interpolated_host = f"postgresql://app:hunter2@{host}/db"

# Implicit concatenation is one literal, reported where it starts.
# ruleid: dbs501-hardcoded-db-password
split_url = ("postgresql://reader:"
             "readonly-pw@replica/app")

# The scheme and the password are in different constant pieces of the f-string.
# ruleid: dbs501-hardcoded-db-password
split_by_user = f"postgresql://{os.getlogin()}:hunter2@{host}/db"

# --- literal password= of a DB connect / URL factory ----------------------------

# ruleid: dbs501-hardcoded-db-password
conn1 = psycopg2.connect(host=host, user="app", password="hunter2", dbname="app")
# ruleid: dbs501-hardcoded-db-password
conn2 = pg.connect(host=host, user="app", password="hunter2")
conn3 = pg_connect(
    host=host,
    user="app",
    # ruleid: dbs501-hardcoded-db-password
    password="hunter2",
)
# ruleid: dbs501-hardcoded-db-password
conn4 = psycopg.connect(host=host, password="pg3-secret")
# ruleid: dbs501-hardcoded-db-password
conn5 = pymysql.connect(host=host, user="root", passwd="mysql-root")
# ruleid: dbs501-hardcoded-db-password
conn6 = MySQLdb.connect(host=host, user="root", passwd="mysql-root")
# ruleid: dbs501-hardcoded-db-password
conn7 = mysql.connector.connect(host=host, user="root", password="connector-pw")
# ruleid: dbs501-hardcoded-db-password
conn8 = cx_Oracle.connect(user="scott", password="tiger", dsn="orcl")
# ruleid: dbs501-hardcoded-db-password
conn9 = oracledb.connect(user="scott", password="tiger", dsn="orcl")
# ruleid: dbs501-hardcoded-db-password
conn10 = pyodbc.connect(driver="{ODBC Driver 18}", server=host, uid="sa", pwd="Passw0rd!")
# ruleid: dbs501-hardcoded-db-password
url1 = URL.create("postgresql", username="app", password="hunter2", host=host)
# ruleid: dbs501-hardcoded-db-password
url2 = sa.engine.URL.create("mysql", username="root", password="mysql-root")
# ruleid: dbs501-hardcoded-db-password
url3 = LegacyURL("postgresql", username="app", password="hunter2", host=host)


async def async_connections():
    # ruleid: dbs501-hardcoded-db-password
    conn = await asyncpg.connect(user="app", password="hunter2", host=host)
    # ruleid: dbs501-hardcoded-db-password
    pool = await asyncpg.create_pool(user="app", password="hunter2", host=host)
    # ruleid: dbs501-hardcoded-db-password
    other = await aiomysql.connect(host=host, user="root", password="aio-pw")
    return conn, pool, other


# A key-value DSN passed to a connect function carries the password too.
# ruleid: dbs501-hardcoded-db-password
conn11 = psycopg2.connect("host=db dbname=app user=app password=hunter2")
# ruleid: dbs501-hardcoded-db-password
conn12 = pyodbc.connect("DRIVER={ODBC Driver 18};SERVER=db;UID=sa;PWD=Passw0rd!")
# ruleid: dbs501-hardcoded-db-password
conn13 = psycopg2.connect(dsn="host=db dbname=app user=app password=hunter2")
# ok: dbs501-hardcoded-db-password
conn14 = psycopg2.connect(dsn="host=db dbname=app user=app password=%(pw)s" % {"pw": os.environ["PW"]})

# --- not secrets ----------------------------------------------------------------

# ok: dbs501-hardcoded-db-password
masked = "postgresql://app:***@db.internal/app"
# ok: dbs501-hardcoded-db-password
documented = "postgresql://app:<password>@db.internal/app"
# ok: dbs501-hardcoded-db-password
templated = "postgresql://app:${DB_PASSWORD}@db.internal/app"
# ok: dbs501-hardcoded-db-password
shell_var = "postgresql://app:$DB_PASSWORD@db.internal/app"
# ok: dbs501-hardcoded-db-password
percent_style = "mysql+pymysql://%(user)s:%(password)s@%(host)s/nova" % {}
# ok: dbs501-hardcoded-db-password
positional_style = "mysql+pymysql://%s:%s@%s/nova" % ("u", os.environ["DB_PASSWORD"], host)
# ok: dbs501-hardcoded-db-password
format_style = "postgresql://{user}:{pw}@{host}/app".format(user="u", pw=os.environ["PW"], host=host)
# ok: dbs501-hardcoded-db-password
x_mask = "postgresql://app:xxxxxx@db.internal/app"
# ok: dbs501-hardcoded-db-password
empty_password = "postgresql://app:@db.internal/app"
# ok: dbs501-hardcoded-db-password
no_password = "postgresql://app@db.internal/app"
# ok: dbs501-hardcoded-db-password
port_only = "postgresql://db.internal:5432/app"
# ok: dbs501-hardcoded-db-password
sqlite_file = "sqlite:////var/lib/nova/nova.sqlite"
# ok: dbs501-hardcoded-db-password
from_env = f"postgresql://app:{os.environ['DB_PASSWORD']}@{host}/app"
# ok: dbs501-hardcoded-db-password
not_a_database = "https://deploy:token123@git.example.com/repo.git"
# ok: dbs501-hardcoded-db-password
message_queue = "rabbit://guest:guest@localhost:5672/"
# ok: dbs501-hardcoded-db-password
scheme_in_word = "xpostgresql://app:hunter2@db/app"

# ok: dbs501-hardcoded-db-password
conn20 = psycopg2.connect(host=host, password=os.environ["DB_PASSWORD"])
# ok: dbs501-hardcoded-db-password
conn21 = psycopg2.connect(host=host, password=os.getenv("DB_PASSWORD"))
# ok: dbs501-hardcoded-db-password
conn22 = pymysql.connect(host=host, passwd=CONF.database.password)
# ok: dbs501-hardcoded-db-password
conn23 = psycopg2.connect(host=host, password="")
# ok: dbs501-hardcoded-db-password
conn24 = psycopg2.connect(host=host, password="***")
# ok: dbs501-hardcoded-db-password
conn25 = psycopg2.connect("host=db dbname=app user=app")
# ok: dbs501-hardcoded-db-password
url20 = URL.create("postgresql", username="app", password=os.environ["PW"], host=host)


class SshClient:
    def connect(self, hostname, password):
        return hostname, password


def not_db_factories(client, socket_obj, smtp):
    # ok: dbs501-hardcoded-db-password
    client.connect(hostname="bastion", password="ssh-pass")
    # ok: dbs501-hardcoded-db-password
    socket_obj.connect(("db", 5432))
    # ok: dbs501-hardcoded-db-password
    smtp.login("mailer", password="smtp-pass")


def documented_function():
    # ok: dbs501-hardcoded-db-password
    """Connect with a URL such as postgresql://app:hunter2@db/app.

    The docstring shows an example; documentation is not a credential.
    """
    return None


def explained():
    x = 1
    # ok: dbs501-hardcoded-db-password
    "A bare string statement is documentation too: mysql://root:pw@db/x"
    return x


def help_text(textwrap):
    # buildbot's --db help: a URL inside multi-line prose is an example, not a credential
    # ok: dbs501-hardcoded-db-password
    longdesc = textwrap.dedent("""
        use something like:
          --db='mysql://bbuser:bbpasswd@dbhost/bbdb'
        """)
    return longdesc


# --- URL templates and user-facing text (spec, Turn 2 "DBS501 - placeholders") ---


def url_templates(engines):
    # ok: dbs501-hardcoded-db-password
    engines.append("mysql+pymysql://user:password@host:port/dbname?charset=utf8")
    # ok: dbs501-hardcoded-db-password
    engines.append("postgresql://USER:PASS@HOST/DB")
    # ok: dbs501-hardcoded-db-password
    engines.append("mysql://nova:PWD@controller/nova")
    # ruleid: dbs501-hardcoded-db-password
    engines.append("mysql://nova:password1@controller/nova")


def user_facing_text(cfg, parser, _):
    opt = cfg.StrOpt(
        "connection",
        # ok: dbs501-hardcoded-db-password
        help="The SQLAlchemy URL, e.g. mysql://nova:secret@controller/nova",
    )
    # ok: dbs501-hardcoded-db-password
    parser.add_argument("--db", help="like postgresql://app:hunter2@db/app")
    if not opt:
        # ok: dbs501-hardcoded-db-password
        raise ValueError("set a URL such as mysql://root:hunter2@db/x")
    # ok: dbs501-hardcoded-db-password
    message = _("Use a URL like mysql://root:hunter2@db/x")
    return message



def multi_line_fstring_prose(tool):
    # prose is judged on the whole f-string; Semgrep sees its constant pieces
    # one by one, and the piece with the URL is one line
    # todook: dbs501-hardcoded-db-password
    return f"Connect with {tool}\n{tool} --url mysql://root:hunter2@db/x"


def placeholder_password_in_fstring(user, host):
    # ok: dbs501-hardcoded-db-password
    return f"postgresql://{user}:password@{host}/db"


def storage_setup_help(storage_name):
    # lightrag's setup help: printed example configuration, not a connection
    if storage_name == "MongoKVStorage":
        print("     [mongodb]")
        # ok: dbs501-hardcoded-db-password
        print("     uri = mongodb://root:root@localhost:27017/")
    # ok: dbs501-hardcoded-db-password
    click.echo("example: postgresql://app:hunter2@localhost/app")
    # a URL passed on from the printed line is still a connection string
    # ruleid: dbs501-hardcoded-db-password
    engine = create_engine("postgresql://app:hunter2@localhost/app")
    print(engine)
