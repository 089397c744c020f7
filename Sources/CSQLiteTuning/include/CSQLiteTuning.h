#ifndef ORDERFLOW_CSQLITE_TUNING_H
#define ORDERFLOW_CSQLITE_TUNING_H

/// Turns off SQLite's memory statistics for the whole process: with them on, every allocation
/// inside SQLite takes a global mutex. Only effective before the first connection opens
/// (sqlite3_config is a variadic C function, which Swift cannot call directly).
/// Returns SQLite's result code: 0 when applied, 21 (SQLITE_MISUSE) when SQLite already started.
int orderflow_sqlite_disable_memstatus(void);

#endif
