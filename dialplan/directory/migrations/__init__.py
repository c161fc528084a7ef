"""Alembic scripts of the directory schema: env.py and versions/ (a package so that
they ship in the wheel). They run through `dialplan.directory.upgrade`, never from an
alembic.ini. A new revision (the next number, e.g. 0002) starts from script.py.mako:

    python -c "from alembic import command; from dialplan.directory.migrate import \
        alembic_config; command.revision(alembic_config(), 'what changes', rev_id='0002')"

and must leave Kamailio's tables (location, location_attrs, version, the subscriber
view's columns) as the Kamailio version we ship expects (tests/dialplan/directory).
"""
