//! Open Referral UK (HSDS 3.0) export and import of the service directory.
