# Reminders to a citizen who stopped halfway through registration (at most two, never at night).
# The button under each is btn-resume ("Lanjutkan"): it asks the step she stopped at again.
reminder-first =
    Halo Bapak/Ibu, pendaftaran Tangerang LIVE belum selesai.
    Jawaban yang sudah diisi masih tersimpan.
    Tekan "Lanjutkan" untuk meneruskan.
reminder-second =
    Pendaftaran Tangerang LIVE Bapak/Ibu masih menunggu.
    Tinggal beberapa langkah lagi.
    Tekan "Lanjutkan" bila sudah siap, atau ketik "bantuan" bila butuh bantuan.
