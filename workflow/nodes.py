"""Nodes the flows need beyond open-source viewflow, made by subclassing it.

DataSplit: a Split that starts one task per item of a data source. viewflow
documents ``Split.Next(..., data_source=...)`` but ships without it (it lives
in the commercial edition).

PersonalView: a human task that belongs to the one person the flow assigns
it to, even after they give it back.

RecordingView: a PersonalView whose page records before taking the process
lock (the ballots of a whole council at once).

LeanView, Gate and LeanJoin: viewflow's View, If and Join with a cheaper step (issue 18):
the task read with its process, the owner compared by id, no savepoint inside the lock's
own transaction, a gateway's task written once (one INSERT, not INSERT then UPDATE)
with no savepoint around its condition, and a join's task given the process its
incoming task already holds; a step's POST whose lock statement reads the task (compiled once), the finished
task saving the columns it changed, the next human task and its ``previous`` link written in one statement
(LeanViewActivation, s27flow). ``LEAN = False`` gives viewflow's stock
step back (bench.step_cost times both in one run).
"""

import functools
import random
import time
from contextlib import contextmanager
from functools import update_wrapper

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, connections, transaction
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, include, path
from django.urls.resolvers import RoutePattern
from django.utils.timezone import now
from viewflow.fsm import TransitionNotAllowed
from viewflow.workflow import Activation, lock
from viewflow.workflow.context import context
from viewflow.workflow.exceptions import FlowLockFailed, FlowRuntimeError
from viewflow.workflow.flow import If, Join, Split, View
from viewflow.workflow.flow.utils import wrap_view
from viewflow.workflow.nodes.if_gate import IfActivation
from viewflow.workflow.nodes.join import JoinActivation
from viewflow.workflow.nodes.split import SplitActivation
from viewflow.workflow.nodes.view import ViewActivation
from viewflow.workflow.signals import task_finished
from viewflow.workflow.status import STATUS

from . import permissions as perms

# The cheaper step below; False: viewflow's stock one (bench.step_cost measures both in the same run).
LEAN = True


def step_transaction():
    """The transaction of a step under the process lock. viewflow's lock (SelectForUpdateLock) has opened one
    already; viewflow nests ``atomic()`` in it, a SAVEPOINT and RELEASE that nothing rolls back to (an error
    leaves both blocks). ``savepoint=False`` opens the transaction where no lock did (a lock without one)."""
    return transaction.atomic(savepoint=not LEAN)


def read_task(flow_class, task_pk):
    """The task and its process in one query (viewflow reads the process lazily, a second query)."""
    tasks = flow_class.task_class._default_manager
    return get_object_or_404(tasks.select_related("process") if LEAN else tasks, pk=task_pk)


class PrefixedUrls:
    """A node whose URLs sit under their shared prefix ``<int:process_pk>/<name>/``, with Django's ``include``.

    viewflow mounts every node's URLs under an empty prefix, so resolving a step's URL tried every pattern of
    every node before it (alphabetical order), each miss copied up into the 404 page's ``tried`` list. Under the
    prefix another node's path fails in one match: resolving the clerk's step URL inside its request 0.34 → 0.25
    ms of CPU (a plain page's URL: 0.02; the rest is viewflow's depth of nested resolvers and its own nodes').
    The routes, names, views and arguments are viewflow's own, only nested (``reverse`` and the matched route are
    the same); a node with any URL outside that prefix keeps viewflow's flat list.
    """

    def _get_urls(self):
        patterns = super()._get_urls()
        prefix = f"<int:process_pk>/{self.name}/"
        routes = [
            str(pattern.pattern)
            if isinstance(pattern, URLPattern) and isinstance(pattern.pattern, RoutePattern)
            else ""
            for pattern in patterns
        ]
        if not patterns or not all(route.startswith(prefix) for route in routes):
            return patterns
        nested = [
            path(route.removeprefix(prefix), pattern.callback, kwargs=pattern.default_args, name=pattern.name)
            for pattern, route in zip(patterns, routes, strict=True)
        ]
        return [path(prefix, include(nested))]


class DataSplitActivation(SplitActivation):
    @Activation.status.super()
    def activate(self):
        for node, condition, data_source in self.flow_task._branches:
            if condition and not condition(self):
                continue
            if data_source is None:
                self.next_tasks.append((node, None))
            else:
                self.next_tasks.extend((node, data) for data in data_source(self))
        if not self.next_tasks:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")


class DataSplit(PrefixedUrls, Split):
    activation_class = DataSplitActivation

    def Next(self, node, case=None, task_data_source=None):  # noqa: N802 (viewflow's naming)
        self._activate_next.append((node, case, task_data_source))
        return self

    def _resolve(self, instance):
        super()._resolve(instance)
        for node, _case, data_source in self._activate_next:
            if data_source is not None:
                node._multi_instance = True  # drawn with the multi-instance marker in charts and BPMN


class _LockReadingTask:
    """viewflow's SelectForUpdateLock (its transaction, attempts, pauses and FlowLockFailed) whose locking statement
    reads the task and its process too: ``SELECT task, process ... FOR UPDATE OF process``, one statement where
    viewflow locks the process, then the view reads the task. The process locked is the task's when the task is
    the URL's process's (ProcessScopeMiddleware has checked it); otherwise nothing is read nor locked and the view
    answers 404 without a write."""

    def __init__(self, impl: lock.SelectForUpdateLock, task_pk):
        self.impl, self.task_pk, self.task = impl, task_pk, None

    def read(self, flow_class, process_pk):
        """The task of ``process_pk`` with its process, the process locked (None: not found, nothing locked)."""
        return _read_locked(flow_class.task_class, self.task_pk, process_pk, self.impl.nowait)

    @contextmanager
    def __call__(self, flow_class, process_pk):
        for attempt in range(self.impl.attempts):
            with transaction.atomic():
                try:
                    self.task = self.read(flow_class, process_pk)
                except DatabaseError:
                    if attempt == self.impl.attempts - 1:
                        raise FlowLockFailed(f"Lock failed for {flow_class}") from None
                    time.sleep(((attempt + 1) * random.random() + 2**attempt) / 2.5)
                else:
                    yield
                    break


def _locking_read(task_class, task_pk, process_pk, nowait):
    """The query set of _read_locked: the task and its process, the process locked."""
    tasks = task_class._default_manager.select_related("process").select_for_update(nowait=nowait, of=("process",))
    return tasks.filter(pk=task_pk, process_id=process_pk)[:1]


# (database alias, task class, nowait) → the statement, its columns' converters and the two models' field names.
_LOCKING_READS: dict = {}
_STAND_IN = (-18027, -18028)  # a task id and a process id no row has: the parameters the statement is compiled with


def _read_locked(task_class, task_pk, process_pk, nowait):
    """``_locking_read(...).first()``, its SQL compiled by the ORM once per process (every step paid the compiling of
    a select_related with FOR UPDATE OF: ~1 ms of CPU), then run with the step's ids and its row built as the ORM
    builds it (the columns' converters, ``from_db``, the process cached on the task). The compiled statement must
    take exactly the two ids as its parameters and select the two models' columns in order: RuntimeError if
    Django ever compiles it differently (tests/workflow/test_lean_step.py compares with the ORM's own answer)."""
    db = task_class._default_manager.db
    connection = connections[db]
    key = (db, connection.vendor, task_class, nowait)
    compiled = _LOCKING_READS.get(key)
    if compiled is None:
        compiled = _LOCKING_READS[key] = _compile_locking_read(task_class, connection, db, nowait)
    sql, converters, task_names, process_names, process_field = compiled
    with connection.cursor() as cursor:
        cursor.execute(sql, (task_pk, process_pk))
        row = cursor.fetchone()
    if row is None:
        return None
    if converters:
        row = list(row)
        for pos, (functions, expression) in converters:
            for function in functions:
                row[pos] = function(row[pos], expression, connection)
    split = len(task_names)
    task = task_class.from_db(db, task_names, row[:split])
    process_field.set_cached_value(task, process_field.related_model.from_db(db, process_names, row[split:]))
    return task


def _compile_locking_read(task_class, connection, db, nowait):
    compiler = _locking_read(task_class, *_STAND_IN, nowait).query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    process_field = task_class._meta.get_field("process")
    task_fields = task_class._meta.concrete_fields
    process_fields = process_field.related_model._meta.concrete_fields
    columns = [column.target for column, _sql, _alias in compiler.select]
    if tuple(params) != _STAND_IN or columns != [*task_fields, *process_fields]:
        raise RuntimeError(f"The locking read of {task_class.__name__} compiles differently: {sql!r} {params!r}")
    converters = list(compiler.get_converters([select[0] for select in compiler.select]).items())
    names = [field.attname for field in task_fields], [field.attname for field in process_fields]
    return sql, converters, *names, process_field


def _call_activated(flow_task, origin_view, request, args, kwargs, task=None):
    """The task read with its process (unless given), in the URL's process (404 otherwise), checked for the user,
    activated, and the step's view called: the part both wrappers below share."""
    if task is None:
        task = read_task(flow_task.flow_class, kwargs["task_pk"])
    if task.process.flow_class != flow_task.flow_class or task.process_id != kwargs["process_pk"]:
        raise Http404
    request.activation = flow_task.activation_class(task)
    if not flow_task.can_execute(request.user, task=task):
        raise PermissionDenied
    request.activation.start(request)
    return origin_view(request, *args, **kwargs)


def _wrap_lean_view(flow_task, origin_view):
    """viewflow's ``utils.wrap_view`` (the task read, checked, activated; a POST under the process lock and in a
    transaction), with the task read with its process, in the URL's process, and no savepoint in the lock; a POST's
    task read by the locking statement itself (_LockReadingTask)."""

    flow_class = flow_task.flow_class

    def view(request, *args, **kwargs):
        try:
            if request.method != "POST":
                return _call_activated(flow_task, origin_view, request, args, kwargs)
            if not isinstance(flow_class.lock_impl, lock.SelectForUpdateLock):
                with flow_class.lock(kwargs["process_pk"]), step_transaction():
                    return _call_activated(flow_task, origin_view, request, args, kwargs)
            locked = _LockReadingTask(flow_class.lock_impl, kwargs["task_pk"])
            with lock.lock_scope(locked, flow_class, kwargs["process_pk"]):
                if locked.task is None:
                    raise Http404
                return _call_activated(flow_task, origin_view, request, args, kwargs, task=locked.task)
        except TransitionNotAllowed as error:
            raise PermissionDenied(",".join(error.args)) from error

    update_wrapper(view, origin_view)
    return view


# The columns a step changes on its task: ``start`` sets started (and the status), ``complete`` finished (and the
# status). Nothing else writes the task between its reading under the lock and its completion.
_FINISHED_FIELDS = ("status", "started", "finished")


class LeanViewActivation(ViewActivation):
    """viewflow's View activation with a cheaper completion and creation (LEAN; otherwise viewflow's own code).

    ``complete`` saves the three columns the step changed, not all twenty (each compiled and sent as a parameter).
    ``create`` (the next human task) writes the task and its ``previous`` link in one statement on PostgreSQL
    (viewflow: an INSERT, then ``previous.add``: a second statement and its RelatedManager's work). Its signals are
    Django's for an INSERT (pre_save, post_save created: the notice of the task's arrival); ``m2m_changed`` of the
    link is not sent (nothing listens to it: tests/workflow/test_lean_step.py).
    """

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        task_class = flow_task.flow_class.task_class
        if not LEAN or connections[task_class._default_manager.db].vendor != "postgresql":
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        # ViewActivation.create, its two writes in one statement.
        task = task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        owner_permission = flow_task.calc_owner_permission(activation)
        if owner_permission:
            task.owner_permission = owner_permission
            task.owner_permission_obj = flow_task.calc_owner_permission_obj(activation)
        owner = flow_task.calc_owner(activation)
        if owner:
            task.owner = owner
            task.status = STATUS.ASSIGNED
        insert_linked(task, prev_activation.task)
        if flow_task._on_create is not None:
            flow_task._on_create(activation)
        return activation

    @Activation.status.super()
    def complete(self):
        if not LEAN:
            return super().complete.original()
        self.task.finished = now()
        save_finished(self.task)
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)
        return None


def save_finished(task) -> None:
    """``task.save(update_fields=_FINISHED_FIELDS)``, its UPDATE written once per process (s28step: the ORM built
    the same UPDATE query on every step, half a step's writing CPU). As ``save`` does it: Task.save's task type,
    pre_save and post_save with the update's fields (workflow.counters moves the owner's counters on), each value
    prepared for the database by its field, DatabaseError when no row was updated, an error in it marking the
    transaction for rollback."""
    model = type(task)
    if task.flow_task and not task.flow_task_type:
        task.flow_task_type = task.flow_task.task_type  # AbstractTask.save
    db = model._default_manager.db
    database = connections[db]
    sql, fields = _FINISHING.get((model, database.vendor)) or _finishing_update(model, database)
    update_fields = frozenset(_FINISHED_FIELDS)
    with transaction.mark_for_rollback_on_error(using=db):
        pre_save.send(sender=model, instance=task, raw=False, using=db, update_fields=update_fields)
        params = [field.get_db_prep_save(field.pre_save(task, False), database) for field in fields]
        with database.cursor() as cursor:
            cursor.execute(sql, [*params, task.pk])
            if cursor.rowcount < 1:
                raise DatabaseError("Save with update_fields did not affect any rows.")  # Model._save_table's
    task._state.db, task._state.adding = db, False
    post_save.send(sender=model, instance=task, created=False, update_fields=update_fields, raw=False, using=db)


_FINISHING: dict = {}  # (task class, vendor) → _finishing_update's answer


def _finishing_update(model, database) -> tuple[str, list]:
    """The finished task's UPDATE (the columns of _FINISHED_FIELDS by id, as the ORM writes it) and those fields."""
    meta = model._meta
    quote = database.ops.quote_name
    fields = [meta.get_field(name) for name in _FINISHED_FIELDS]
    if any(hasattr(field, "get_placeholder") for field in fields):
        raise RuntimeError("a finished task's column needs its own placeholder")  # not one %s per value
    table = quote(meta.db_table)
    columns = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    compiled = f"UPDATE {table} SET {columns} WHERE {table}.{quote(meta.pk.column)} = %s", fields
    _FINISHING[model, database.vendor] = compiled
    return compiled


def insert_linked(task, previous) -> None:
    """Save the new ``task`` (PostgreSQL) with ``previous`` as its previous task, one statement for both: Django's
    INSERT of the task in a CTE whose second INSERT links it. The statement is compiled by the ORM once per process
    (s28step: building the INSERT query was most of the step's writing CPU); each value is prepared as the ORM's
    INSERT prepares it (the field's ``pre_save`` with add, then ``get_db_prep_save``: ``created`` stamped now)."""
    model = type(task)
    if task.flow_task and not task.flow_task_type:
        task.flow_task_type = task.flow_task.task_type  # AbstractTask.save
    db = model._default_manager.db
    database = connections[db]
    pre_save.send(sender=model, instance=task, raw=False, using=db, update_fields=None)
    sql, fields = _LINKED_INSERTS.get((model, database.vendor)) or _compile_linked_insert(model, database)
    params = [field.get_db_prep_save(field.pre_save(task, True), database) for field in fields]
    with database.cursor() as cursor:
        cursor.execute(sql, [*params, previous.pk])
        task.pk = cursor.fetchone()[0]
    task._state.adding, task._state.db = False, db
    post_save.send(sender=model, instance=task, created=True, update_fields=None, raw=False, using=db)


_LINKED_INSERTS: dict = {}  # (task class, vendor) → insert_linked's statement and the fields of its values


def _compile_linked_insert(model, database) -> tuple[str, list]:
    """insert_linked's statement: the ORM's INSERT of a task (every column but the id, returning it), compiled for a
    blank task, one ``%s`` per column (RuntimeError otherwise: a field with its own placeholder), in the CTE."""
    meta = model._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    query = InsertQuery(model)
    query.insert_values(fields, [model()])
    compiler = query.get_compiler(connection=database)
    compiler.returning_fields = [meta.pk]
    [(insert, _params)] = compiler.as_sql()
    if insert.count("%s") != len(fields) or compiler.returning_params:
        raise RuntimeError(f"the task's INSERT is not one parameter per column: {insert}")
    through = meta.get_field("previous").remote_field.through
    quote = database.ops.quote_name
    from_column = through._meta.get_field("from_task").column
    to_column = through._meta.get_field("to_task").column
    sql = (
        f"WITH t AS ({insert}), l AS (INSERT INTO {quote(through._meta.db_table)} ({quote(from_column)}, "
        f"{quote(to_column)}) SELECT t.{quote(meta.pk.column)}, %s FROM t) SELECT t.{quote(meta.pk.column)} FROM t"
    )
    _LINKED_INSERTS[model, database.vendor] = sql, fields
    return sql, fields


class LeanView(PrefixedUrls, View):
    """viewflow's View with the cheaper step (see the module's docstring)."""

    activation_class = LeanViewActivation

    @property
    def view_path(self):
        wrap = _wrap_lean_view if LEAN else wrap_view
        return path(f"<int:process_pk>/{self.name}/<int:task_pk>/execute/", wrap(self, self.view), name="execute")

    def can_execute(self, user, task):
        # viewflow's is_owner(task.owner, user) loads the owner's row to compare two ids.
        if not LEAN:
            return super().can_execute(user, task)
        return user is not None and user.is_authenticated and task.owner_id is not None and task.owner_id == user.pk


class PersonalView(LeanView):
    """A View whose task is the person's named by ``.Assign(fn)``: given back, only they may take it again.

    viewflow lets anyone take a task without ``.Permission`` once its owner
    gives it back (a council secretary would cast a member's ballot). The task
    records its person instead: ``owner_permission`` is the PERSONAL_TASK
    marker and its object is the person, so ``can_assign``, the queues
    (permissions.may_take, viewflow's user_queue) and the API's claim offer it
    to that person alone.
    """

    def calc_owner_permission(self, activation):
        return perms.PERSONAL_TASK

    def calc_owner_permission_obj(self, activation):
        # Called before calc_owner: the person is looked up once for both.
        activation.person = super().calc_owner(activation)
        return activation.person

    def calc_owner(self, activation):
        if hasattr(activation, "person"):
            return activation.person
        return super().calc_owner(activation)

    def can_assign(self, user, task):
        return task.owner_id is None and user is not None and perms.is_task_person(user, task)


def _wrap_unlocked_view(flow_task, origin_view):
    """viewflow's ``utils.wrap_view`` without its process lock and transaction around a POST: the view takes
    them itself, only for completing the task (steps.base.record_then_complete)."""

    def view(request, *args, **kwargs):
        try:
            return _call_activated(flow_task, origin_view, request, args, kwargs)
        except TransitionNotAllowed as error:
            raise PermissionDenied(",".join(error.args)) from error

    update_wrapper(view, origin_view)
    return view


class RecordingView(PersonalView):
    """A PersonalView whose step records before the process lock (``Step.record``: a ballot)."""

    @property
    def view_path(self):
        return path(
            f"<int:process_pk>/{self.name}/<int:task_pk>/execute/",
            _wrap_unlocked_view(self, self.view),
            name="execute",
        )


class GateActivation(IfActivation):
    """viewflow's If activation, its task written once and its condition run without a savepoint.

    viewflow inserts a gateway's task, then updates it to DONE a moment later, and runs the condition in a
    savepoint that only matters when an error is kept on the task (``propagate_exception=False``, timers and
    jobs); a step's error propagates and rolls the whole step back. Here the task is inserted once, done, with its
    ``previous`` link; with ``propagate_exception=False`` (or LEAN off) it is viewflow's own code.
    """

    _lean_previous = None

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not (LEAN and context.propagate_exception):
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task = flow_task.flow_class.task_class(process=prev_activation.process, flow_task=flow_task, token=token)
        task.data = data if data is not None else {}
        task.seed = seed
        activation = cls(task)
        activation._lean_previous = prev_activation.task  # linked once the task is written (complete)
        return activation

    def __hash__(self):
        # viewflow keeps activations in sets; an unsaved task has no pk to hash (Django refuses it).
        return hash(self.task) if self.task.pk is not None else id(self.task)

    @Activation.status.super()
    def activate(self):
        if self._lean_previous is None:
            with self.exception_guard(), transaction.atomic(savepoint=True):
                self._condition_result = self.flow_task._condition(self)
        else:
            self._condition_result = self.flow_task._condition(self)

    @Activation.status.super()
    def complete(self):
        self.task.finished = now()
        self.task.save()
        if self._lean_previous is not None:
            self.task.previous.add(self._lean_previous)
            self._lean_previous = None
        task_finished.send(sender=self.flow_class, process=self.process, task=self.task)


class Gate(PrefixedUrls, If):
    """viewflow's If gateway with GateActivation."""

    activation_class = GateActivation


class LeanJoinActivation(JoinActivation):
    """viewflow's Join activation, its existing task given the process the incoming activation holds.

    viewflow looks the join's task up without its process and reads it again when the activation is built: a
    statement on each of a council's ballots. Otherwise viewflow's own ``create`` (JoinActivation.create).
    """

    @classmethod
    def create(cls, flow_task, prev_activation, token, data=None, seed=None):
        if not LEAN:
            return super().create(flow_task, prev_activation, token, data=data, seed=seed)
        task_class = flow_task.flow_class.task_class
        if connections[task_class._default_manager.db].vendor == "postgresql":
            tasks, linked = _join_tasks_linked(task_class, flow_task, prev_activation), True
        else:
            tasks, linked = list(_join_tasks(task_class, flow_task, prev_activation)[:2]), False
        if len(tasks) > 1:
            raise FlowRuntimeError("More than one join instance for process found")
        if tasks:
            task = tasks[0]
            task.process = prev_activation.process  # the same row, already read (and locked)
        else:  # the first arrival creates the join's task, as viewflow does
            token = token.get_base_split_token() if token.is_split_token() else token
            task = task_class(process=prev_activation.process, flow_task=flow_task, token=token)
            task.data = data if data is not None else {}
            task.seed = seed
            task.save()
            linked = False
        if not linked:
            task.previous.add(prev_activation.task)
        activation = cls(task)
        if linked and len(tasks) == 1:
            activation._read_with_task = _JoinReads(task, prev_activation.task)
        return activation

    _read_with_task = None  # what the join's statement read besides its task (``_JoinReads``), for ``is_done``
    known_open_nodes = None  # the nodes still open, when read with the task (``voting_done`` takes them)

    def _join_token_prefixes(self):
        """viewflow's, from the incoming tasks' tokens and ids alone: it built a Task of every ballot cast so far
        on each ballot (30 rows by the last one)."""
        if not LEAN:
            return super()._join_token_prefixes()
        if self._read_with_task is not None:
            incoming = self._read_with_task.incoming
        else:
            statuses = [STATUS.CANCELED, STATUS.REVIVED]
            incoming = self.task.previous.exclude(status__in=statuses).values_list("token", "pk")
        return {token.get_common_split_prefix(self.task.token, pk) for token, pk in incoming}

    def is_done(self):
        """viewflow's, without its last statement when the condition tells which nodes are still open: a
        ``continue_on_condition`` that reads them may keep them on the activation (``open_nodes``), and an empty
        set is what ``active_tasks.exists()`` would have answered (steps.council.voting_done)."""
        if not LEAN:
            return super().is_done()
        try:
            prefixes = self._join_token_prefixes()
            if len(prefixes) != 1:
                return len(prefixes) > 1
            prefix = next(iter(prefixes))
            active_tasks = self._active_join_tasks(prefix)
            condition = self.flow_task._continue_on_condition
            self.open_nodes = None
            if self._read_with_task is not None:  # the nodes still open, read with the join's task
                self.known_open_nodes = self._read_with_task.open_nodes(prefix)
            if condition and condition(self, active_tasks):
                return True
            if self.open_nodes is not None:
                return not self.open_nodes
            return not active_tasks.exists()
        finally:
            # Read once, for this check only: ``complete`` (the join done) reads them again, as viewflow does.
            self._read_with_task = self.known_open_nodes = None


def _join_tasks(task_class, flow_task, prev_activation):
    return task_class._default_manager.filter(
        flow_task=flow_task, process=prev_activation.process, status__in=[STATUS.NEW, STATUS.STARTED]
    )


def _join_tasks_linked(task_class, flow_task, prev_activation) -> list:
    """The join's open tasks (at most two), the incoming task linked to the one found as its previous in the same
    statement (PostgreSQL: a CTE; s26ballot: each of a council's ballots read the join's task, then linked it).
    Linked only when exactly one is found, as ``task.previous.add`` (ON CONFLICT DO NOTHING) would.

    Each row also carries what the join's ``is_done`` asks next (s27ballot: two statements fewer on each ballot):
    ``join_incoming``, the (token, id) of its previous tasks neither cancelled nor revived (viewflow's
    ``_join_token_prefixes``), and ``join_open``, the (node, token) of the process's tasks neither done, cancelled
    nor revived (``_active_join_tasks``, filtered by the prefix in ``_JoinReads``). Both in the statement's
    snapshot: the link it inserts is not in them (``_JoinReads`` adds the incoming task); the incoming task's own
    completion, an earlier statement, is."""
    process_pk = prev_activation.process.pk
    node = task_class._meta.get_field("flow_task").get_prep_value(flow_task)
    params = [node, process_pk, STATUS.NEW, STATUS.STARTED, prev_activation.task.pk]
    params += [STATUS.CANCELED, STATUS.REVIVED, process_pk, STATUS.DONE, STATUS.CANCELED, STATUS.REVIVED]
    sql, names, converters = _join_sql(task_class)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    tasks = []
    for row in fetched:  # made as the ORM makes them (a raw query set cost three times the statement)
        values = list(row[: len(names)])
        for position, (functions, expression) in converters:
            for function in functions:
                values[position] = function(values[position], expression, connection)
        task = task_class.from_db(connection.alias, names, values)
        task.join_incoming, task.join_open = row[len(names) :]
        tasks.append(task)
    return tasks


@functools.cache
def _join_sql(task_class) -> tuple:
    """``_join_tasks_linked``'s statement, written once per process (the ORM built the join's query on every
    ballot: more time than the database took to answer it), the task's columns and their converters."""
    fields = task_class._meta.concrete_fields
    compiler = task_class._default_manager.none().query.get_compiler(connection=connection)
    converters = compiler.get_converters([field.get_col(task_class._meta.db_table) for field in fields])
    return _join_statement(task_class), [field.attname for field in fields], list(converters.items())


def _join_statement(task_class) -> str:
    quote = connection.ops.quote_name
    previous = task_class.previous.through
    task, table = quote(task_class._meta.db_table), quote(previous._meta.db_table)
    from_column = quote(previous._meta.get_field("from_task").column)
    to_column = quote(previous._meta.get_field("to_task").column)
    columns = ", ".join(f"t.{quote(field.column)}" for field in task_class._meta.concrete_fields)
    pk, process = quote(task_class._meta.pk.column), quote(task_class._meta.get_field("process").column)
    status, node, token = quote("status"), quote("flow_task"), quote("token")
    return (
        f"WITH j AS (SELECT {columns} FROM {task} t WHERE t.{node} = %s AND t.{process} = %s "
        f"AND t.{status} IN (%s, %s) LIMIT 2), "
        f"linked AS (INSERT INTO {table} ({from_column}, {to_column}) "
        f"SELECT j.{pk}, %s FROM j WHERE (SELECT count(*) FROM j) = 1 ON CONFLICT DO NOTHING) "
        f"SELECT j.*, ARRAY(SELECT ARRAY[p.{token}, p.{pk}::text] FROM {table} l JOIN {task} p "
        f"ON p.{pk} = l.{to_column} WHERE l.{from_column} = j.{pk} AND p.{status} NOT IN (%s, %s)) "
        'AS "join_incoming", '
        f"ARRAY(SELECT ARRAY[o.{node}, o.{token}] FROM {task} o WHERE o.{process} = %s "
        f'AND o.{status} NOT IN (%s, %s, %s)) AS "join_open" FROM j'
    )


class _JoinReads:
    """What ``_join_tasks_linked`` read with the join's task, as ``is_done`` asks for it."""

    def __init__(self, task, incoming_task):
        fields = type(task)._meta
        token, self._node = fields.get_field("token").to_python, fields.get_field("flow_task").to_python
        self.incoming = [(token(value), int(pk)) for value, pk in task.join_incoming]
        if incoming_task.pk not in {pk for _token, pk in self.incoming}:  # linked by the statement itself
            self.incoming.append((incoming_task.token, incoming_task.pk))
        self._open = task.join_open

    def open_nodes(self, prefix: str) -> set:
        """The nodes of the open tasks whose token starts with ``prefix`` (``_active_join_tasks(prefix)``)."""
        return {self._node(node) for node, token in self._open if token.startswith(prefix)}


class LeanJoin(PrefixedUrls, Join):
    """viewflow's Join with LeanJoinActivation."""

    activation_class = LeanJoinActivation
