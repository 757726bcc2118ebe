"""Rule families, one module each; ``FAMILIES`` is what the checker runs."""

from .authz import AuthorizationRules
from .errors import ErrorHandlingRules
from .logs import SensitiveLoggingRules
from .rowcount import RowcountRules
from .sql import SqlInjectionRules
from .secrets import HardcodedPasswordRules
from .resources import ResourceLifetimeRules

FAMILIES = (
    ErrorHandlingRules,
    SensitiveLoggingRules,
    RowcountRules,
    SqlInjectionRules,
    HardcodedPasswordRules,
    ResourceLifetimeRules,
    AuthorizationRules,
)
