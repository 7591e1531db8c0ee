# Voice notes: "dengarkan", the "selalu kirim suara" setting, and the 🔊 button on each channel.
btn-listen = 🔊 Dengarkan
btn-voice-on = 🔊 Pakai suara
btn-voice-off = 🔇 Tanpa suara

voice-on =
    Baik. Mulai sekarang setiap pesan saya kirim juga dengan suara. 🔊
    Ketik "tanpa suara" untuk mematikannya.
voice-off =
    Baik. Mulai sekarang pesan saya kirim sebagai tulisan saja.
    Ketik "dengarkan" kapan saja untuk mendengar pesan terakhir.
voice-unavailable = Maaf, pesan suara sedang tidak tersedia. Silakan baca pesan di atas.
voice-nothing = Belum ada pesan yang bisa saya bacakan.

# Words citizens may type at any step (comma-separated, case and punctuation ignored).
keywords-listen = dengarkan, /dengarkan, dengar, dengerin, denger, bacakan, dibacakan, putar suara, suarakan, baca pesan
keywords-voice-on = suara, /suara, selalu kirim suara, kirim suara, pakai suara, nyalakan suara, hidupkan suara, suara aktif, pesan suara
keywords-voice-off = tanpa suara, /tanpasuara, matikan suara, suara mati, tidak pakai suara, jangan pakai suara, gak usah suara, tidak usah suara, teks saja, tulisan saja

webchat-error-audio = Suara untuk pesan ini tidak ditemukan.
webchat-error-audio-unavailable = Maaf, suara sedang tidak tersedia. Silakan baca pesannya.
