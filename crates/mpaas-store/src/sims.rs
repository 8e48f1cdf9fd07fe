//! SIMs (pSIM and eSIM) and their binding to numbers.
